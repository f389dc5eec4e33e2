import { ACCOUNT_STREAM_CATEGORY, type AccountEvent, type AccountInventory } from '@cp/contracts';
import { rowsFromJson, rowsToJson, type Loaded, type ReadModel, type Snapshottable, type StoredEvent } from '@cp/event-store';
import { RowIndexes, type QuerySource } from '@cp/query';
import { evolveAccount as evolve, type AccountState } from '@cp/domain/identity';

interface Row {
  state: AccountState;
  version: bigint;
  /** The row's place in `rows` (see RowIndexes). */
  seq: number;
}

/**
 * Accounts as the log says they are now: the inventories that queries return, the name index for
 * uniqueness, login and queries, and the state + version each command starts from. One row per
 * account, one frozen inventory object per row (queries hand it out without copying).
 */
export class AccountReadModel implements ReadModel, Snapshottable {
  readonly filter = { categories: [ACCOUNT_STREAM_CATEGORY] };
  private readonly rows = new Map<string, Row>();
  /** `name` (and `uuid`, the rows' key) for queries: `q=name=x` reads one row, not all. */
  private readonly indexes = new RowIndexes<Row>(this.rows, { name: (r) => r.state.inventory.name });

  apply(event: StoredEvent): void {
    const uuid = String(event.data.uuid);
    const row = this.rows.get(uuid);
    // A row remembers the version it was built to: a replayed older commit is a no-op.
    if (row && event.streamVersion < row.version) return;
    const next = evolve(row?.state ?? null, { type: event.type, data: event.data } as AccountEvent);
    if (!next || next.deleted) {
      if (row) {
        this.rows.delete(uuid);
        this.indexes.update(uuid, row, undefined);
      }
      return;
    }
    this.set(uuid, row, next, event.streamVersion);
  }

  private set(uuid: string, before: Row | undefined, state: AccountState, version: bigint): void {
    const row: Row = { state, version, seq: this.indexes.seqFor(before) };
    this.rows.set(uuid, row);
    this.indexes.update(uuid, before, row);
  }

  snapshot(): unknown {
    return rowsToJson(this.rows);
  }

  restore(snapshot: unknown): void {
    for (const [uuid, row] of rowsFromJson<AccountState>(snapshot)) this.set(uuid, this.rows.get(uuid), row.state, row.version);
  }

  /** The state a command starts from; a stale one only costs a retry (the append checks the version). */
  loaded(uuid: string): Loaded<AccountState> | undefined {
    const row = this.rows.get(uuid);
    return row && { state: row.state, version: row.version };
  }

  get(uuid: string): AccountState | undefined {
    return this.rows.get(uuid)?.state;
  }

  /** The account called `name` (names are unique; were two called so, the older). */
  uuidByName = (name: string): string | undefined => this.indexes.index('name').first(name);

  get size(): number {
    return this.rows.size;
  }

  /** What a caller may query: the admin sees every account, a normal account only itself. */
  visibleTo(accountUuid: string, isAdmin: boolean): QuerySource<AccountInventory> {
    if (isAdmin) {
      const rows = this.rows;
      const indexes = this.indexes;
      return {
        *all() { for (const r of rows.values()) yield r.state.inventory; },
        get: (uuid) => rows.get(uuid)?.state.inventory,
        lookup: (field, values) => indexes.lookup(field, values, (r) => r.state.inventory),
      };
    }
    const own = this.rows.get(accountUuid)?.state.inventory;
    const list = own ? [own] : [];
    return { all: () => list, get: (uuid) => (uuid === accountUuid ? own : undefined) };
  }
}
