import {
  IAM2_VIRTUAL_ID_STREAM_CATEGORY, IAM2_VIRTUAL_ID_USER_TYPE,
  type IAM2VirtualIDAttributeInventory, type IAM2VirtualIDEvent, type IAM2VirtualIDInventory,
} from '@cp/contracts';
import { rowsFromJson, rowsToJson, type Loaded, type ReadModel, type Snapshottable, type StoredEvent } from '@cp/event-store';
import type { QuerySource } from '@cp/query';
import type { Caller } from '../accounts/account.decider';
import { evolve, type VirtualIDState } from './virtual-id.decider';

interface Row {
  state: VirtualIDState;
  version: bigint;
}

/**
 * IAM2 virtual IDs as the log says they are now (the `iam2vid` streams): the inventories queries
 * return, the name index for uniqueness and login, which virtual ID each attribute belongs to
 * (UpdateIAM2VirtualIDAttribute names only the attribute), and the state + version each command
 * starts from.
 */
export class IAM2VirtualIDReadModel implements ReadModel, Snapshottable {
  readonly filter = { categories: [IAM2_VIRTUAL_ID_STREAM_CATEGORY] };
  private readonly rows = new Map<string, Row>();
  private readonly byName = new Map<string, string>();
  private readonly attributeOwners = new Map<string, string>();

  apply(event: StoredEvent): void {
    const uuid = String(event.data.uuid);
    const row = this.rows.get(uuid);
    // A row remembers the version it was built to: a replayed older commit is a no-op.
    if (row && event.streamVersion < row.version) return;
    const next = evolve(row?.state ?? null, { type: event.type, data: event.data } as IAM2VirtualIDEvent);
    if (row) this.unindex(uuid, row.state);
    if (!next || next.deleted) {
      this.rows.delete(uuid);
      return;
    }
    this.rows.set(uuid, { state: next, version: event.streamVersion });
    this.byName.set(next.inventory.name, uuid);
    for (const a of next.inventory.attributes) this.attributeOwners.set(a.uuid, uuid);
  }

  snapshot(): unknown {
    return rowsToJson(this.rows);
  }

  restore(snapshot: unknown): void {
    for (const [uuid, row] of rowsFromJson<VirtualIDState>(snapshot)) {
      this.rows.set(uuid, row);
      this.byName.set(row.state.inventory.name, uuid);
      for (const a of row.state.inventory.attributes) this.attributeOwners.set(a.uuid, uuid);
    }
  }

  private unindex(uuid: string, state: VirtualIDState): void {
    if (this.byName.get(state.inventory.name) === uuid) this.byName.delete(state.inventory.name);
    for (const a of state.inventory.attributes) if (this.attributeOwners.get(a.uuid) === uuid) this.attributeOwners.delete(a.uuid);
  }

  /** The state a command starts from; a stale one only costs a retry (the append checks the version). */
  loaded(uuid: string): Loaded<VirtualIDState> | undefined {
    const row = this.rows.get(uuid);
    return row && { state: row.state, version: row.version };
  }

  get(uuid: string): VirtualIDState | undefined {
    return this.rows.get(uuid)?.state;
  }

  uuidByName = (name: string): string | undefined => this.byName.get(name);

  /** The virtual ID an attribute belongs to. */
  virtualIdOfAttribute(attributeUuid: string): string | undefined {
    return this.attributeOwners.get(attributeUuid);
  }

  /** Whether a session of this virtual ID may act: it exists and is enabled. */
  isEnabled(uuid: string): boolean {
    return this.rows.get(uuid)?.state.inventory.state === 'Enabled';
  }

  get size(): number {
    return this.rows.size;
  }

  /**
   * What a caller may query: the admin sees every virtual ID, a virtual ID's own session only
   * itself, an account the virtual IDs it owns.
   */
  visibleTo(caller: Caller, isAdmin: boolean): QuerySource<IAM2VirtualIDInventory> {
    const rows = this.rows;
    if (isAdmin) {
      return {
        *all() { for (const r of rows.values()) yield r.state.inventory; },
        get: (uuid) => rows.get(uuid)?.state.inventory,
      };
    }
    const sees = (state: VirtualIDState | undefined): state is VirtualIDState =>
      state !== undefined && (caller.userType === IAM2_VIRTUAL_ID_USER_TYPE
        ? state.inventory.uuid === caller.userUuid
        : state.ownerAccountUuid === caller.accountUuid);
    if (caller.userType === IAM2_VIRTUAL_ID_USER_TYPE) {
      const own = rows.get(caller.userUuid)?.state;
      const list = sees(own) ? [own.inventory] : [];
      return { all: () => list, get: (uuid) => (uuid === caller.userUuid ? list[0] : undefined) };
    }
    return {
      *all() { for (const r of rows.values()) if (sees(r.state)) yield r.state.inventory; },
      get: (uuid) => {
        const state = rows.get(uuid)?.state;
        return sees(state) ? state.inventory : undefined;
      },
    };
  }

  /** The attributes of the virtual IDs `visibleTo` shows the caller. */
  attributesVisibleTo(caller: Caller, isAdmin: boolean): QuerySource<IAM2VirtualIDAttributeInventory> {
    const virtualIds = this.visibleTo(caller, isAdmin);
    const owners = this.attributeOwners;
    return {
      *all() { for (const v of virtualIds.all()) yield* v.attributes; },
      get: (uuid) => {
        const owner = owners.get(uuid);
        return owner === undefined ? undefined : virtualIds.get?.(owner)?.attributes.find((a) => a.uuid === uuid);
      },
    };
  }
}
