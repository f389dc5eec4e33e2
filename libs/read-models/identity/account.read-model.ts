import { ACCOUNT_STREAM_CATEGORY, type AccountEvent, type AccountInventory } from '@cp/contracts';
import type { ReadModel, Snapshottable } from '@cp/event-store';
import type { QuerySource } from '@cp/query';
import { evolveAccount, type AccountState } from '@cp/domain/identity';
import { AggregateRows } from '../shared/aggregate-rows';

/**
 * Accounts as the log says they are now: the inventories that queries return, the name index for
 * uniqueness, login and queries, and the state + version each command starts from. One row per
 * account, one frozen inventory object per row (queries hand it out without copying).
 */
export class AccountReadModel extends AggregateRows<AccountState, AccountEvent> implements ReadModel, Snapshottable {
  readonly filter = { categories: [ACCOUNT_STREAM_CATEGORY] };

  constructor() {
    // `name` (and `uuid`, the rows' key) for queries: `q=name=x` reads one row, not all.
    super({ evolve: evolveAccount, gone: (s) => s.deleted, indexes: { name: (r) => r.state.inventory.name } });
  }

  /** The account called `name` (names are unique; were two called so, the older). */
  uuidByName = (name: string): string | undefined => this.indexes.index('name').first(name);

  /** What a caller may query: the admin sees every account, a normal account only itself. */
  visibleTo(accountUuid: string, isAdmin: boolean): QuerySource<AccountInventory> {
    if (isAdmin) return this.sourceOf((r) => r.state.inventory);
    const own = this.rows.get(accountUuid)?.state.inventory;
    const list = own ? [own] : [];
    return { all: () => list, get: (uuid) => (uuid === accountUuid ? own : undefined) };
  }
}
