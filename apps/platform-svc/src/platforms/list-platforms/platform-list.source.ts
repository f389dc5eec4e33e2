import type { Candidates, QuerySource } from '@cp/query';
import type { PlatformState } from '@cp/domain/platform';
import type { PlatformReadModel } from '@cp/read-models/platform';

/** The list's order: creation date, then uuid (platforms created in the same millisecond). */
const byCreation = (a: PlatformState, b: PlatformState) => a.createDate.localeCompare(b.createDate) || a.uuid.localeCompare(b.uuid);

/**
 * The platforms as the query engine reads them for ListPlatforms: every platform in creation order
 * (the reply's order, so the query needs no sort), and `name = x` answered from the read model's
 * name index (only the platforms so called are read).
 */
export class PlatformListSource implements QuerySource<PlatformState> {
  constructor(private readonly platforms: PlatformReadModel) {}

  all(): Iterable<PlatformState> {
    return this.platforms.all().sort(byCreation);
  }

  lookup(field: string, values: readonly string[]): Candidates<PlatformState> | undefined {
    if (field !== 'name') return undefined;
    const rows = [...new Set(values)].flatMap((name) => this.platforms.named(name));
    return { size: rows.length, exact: true, rows: () => rows.sort(byCreation) };
  }
}
