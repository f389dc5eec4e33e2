import { ACCOUNT_STREAM_CATEGORY, type AccountEvent, type AccountInventory } from '@cp/contracts';
import { rowsFromJson, rowsToJson, type Loaded, type ReadModel, type Snapshottable, type StoredEvent } from '@cp/event-store';
import type { QuerySource } from '@cp/query';
import { evolve, type AccountState } from './account.decider';

interface Row {
  state: AccountState;
  version: bigint;
}

/**
 * Accounts as the log says they are now: the inventories that queries return, the name index for
 * uniqueness and login, and the state + version each command starts from. One row per account,
 * one frozen inventory object per row (queries hand it out without copying).
 */
export class AccountReadModel implements ReadModel, Snapshottable {
  readonly filter = { categories: [ACCOUNT_STREAM_CATEGORY] };
  private readonly rows = new Map<string, Row>();
  private readonly byName = new Map<string, string>();

  apply(event: StoredEvent): void {
    const uuid = String(event.data.uuid);
    const row = this.rows.get(uuid);
    // A row remembers the version it was built to: a replayed older commit is a no-op.
    if (row && event.streamVersion < row.version) return;
    const next = evolve(row?.state ?? null, { type: event.type, data: event.data } as AccountEvent);
    if (row) this.byName.delete(row.state.inventory.name);
    if (!next || next.deleted) {
      this.rows.delete(uuid);
      return;
    }
    this.rows.set(uuid, { state: next, version: event.streamVersion });
    this.byName.set(next.inventory.name, uuid);
  }

  snapshot(): unknown {
    return rowsToJson(this.rows);
  }

  restore(snapshot: unknown): void {
    for (const [uuid, row] of rowsFromJson<AccountState>(snapshot)) {
      this.rows.set(uuid, row);
      this.byName.set(row.state.inventory.name, uuid);
    }
  }

  /** The state a command starts from; a stale one only costs a retry (the append checks the version). */
  loaded(uuid: string): Loaded<AccountState> | undefined {
    const row = this.rows.get(uuid);
    return row && { state: row.state, version: row.version };
  }

  get(uuid: string): AccountState | undefined {
    return this.rows.get(uuid)?.state;
  }

  uuidByName = (name: string): string | undefined => this.byName.get(name);

  get size(): number {
    return this.rows.size;
  }

  /** What a caller may query: the admin sees every account, a normal account only itself. */
  visibleTo(accountUuid: string, isAdmin: boolean): QuerySource<AccountInventory> {
    if (isAdmin) {
      const rows = this.rows;
      return {
        *all() { for (const r of rows.values()) yield r.state.inventory; },
        get: (uuid) => rows.get(uuid)?.state.inventory,
      };
    }
    const own = this.rows.get(accountUuid)?.state.inventory;
    const list = own ? [own] : [];
    return { all: () => list, get: (uuid) => (uuid === accountUuid ? own : undefined) };
  }
}
