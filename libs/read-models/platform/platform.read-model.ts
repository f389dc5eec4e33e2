import { Injectable } from '@nestjs/common';
import { PLATFORM_STREAM_CATEGORY, type PlatformEvent } from '@cp/contracts';
import type { ReadModel, Snapshottable } from '@cp/event-store';
import { evolve, type PlatformState } from '@cp/domain/platform';
import { AggregateRows } from '../shared/aggregate-rows';

/** Platforms as the log says they are now, with the state + version each command starts from. */
@Injectable()
export class PlatformReadModel extends AggregateRows<PlatformState, PlatformEvent> implements ReadModel, Snapshottable {
  readonly filter = { categories: [PLATFORM_STREAM_CATEGORY] };

  constructor() {
    // By name: the list filter and the uniqueness check read the platforms so called, not all.
    super({ evolve, indexes: { name: (r) => r.state.name } });
  }

  all(): PlatformState[] {
    return [...this.rows.values()].map((r) => r.state);
  }

  /** The platforms called `name`, in the order of `all()`. */
  named(name: string): PlatformState[] {
    return this.indexes.index('name').ids(name).map((uuid) => this.rows.get(uuid)!.state);
  }

  /** The platform of `owner` called `name`, if any (names are unique per owner). */
  nameTakenBy = (name: string, owner: string): string | undefined =>
    this.named(name).find((p) => p.ownerAccountUuid === owner)?.uuid;
}
