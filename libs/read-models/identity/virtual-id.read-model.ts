import {
  IAM2_VIRTUAL_ID_STREAM_CATEGORY, IAM2_VIRTUAL_ID_USER_TYPE,
  type IAM2VirtualIDAttributeInventory, type IAM2VirtualIDEvent, type IAM2VirtualIDInventory,
} from '@cp/contracts';
import { rowsFromJson, rowsToJson, type Loaded, type ReadModel, type Snapshottable, type StoredEvent } from '@cp/event-store';
import { RowIndexes, type QuerySource } from '@cp/query';
import { evolveVirtualID as evolve, type Caller, type VirtualIDState } from '@cp/domain/identity';

interface Row {
  state: VirtualIDState;
  version: bigint;
  /** The row's place in `rows` (see RowIndexes). */
  seq: number;
}

/** The attribute query's indexed fields, and the index of the virtual IDs holding each. */
const ATTRIBUTE_OWNER_INDEX: Readonly<Record<string, string>> = {
  uuid: 'attributes.uuid', name: 'attributes.name', virtualIDUuid: 'attributes.virtualIDUuid',
};

/**
 * IAM2 virtual IDs as the log says they are now (the `iam2vid` streams): the inventories queries
 * return, the name index for uniqueness, login and queries, which virtual ID each attribute belongs
 * to (UpdateIAM2VirtualIDAttribute names only the attribute; attribute queries by uuid, name and
 * virtualIDUuid read only the virtual IDs holding them), and the state + version each command
 * starts from.
 */
export class IAM2VirtualIDReadModel implements ReadModel, Snapshottable {
  readonly filter = { categories: [IAM2_VIRTUAL_ID_STREAM_CATEGORY] };
  private readonly rows = new Map<string, Row>();
  private readonly indexes = new RowIndexes<Row>(
    this.rows,
    { name: (r) => r.state.inventory.name },
    {
      'attributes.uuid': (r) => r.state.inventory.attributes.map((a) => a.uuid),
      'attributes.name': (r) => r.state.inventory.attributes.map((a) => a.name),
      'attributes.virtualIDUuid': (r) => r.state.inventory.attributes.map((a) => a.virtualIDUuid),
    },
  );

  apply(event: StoredEvent): void {
    const uuid = String(event.data.uuid);
    const row = this.rows.get(uuid);
    // A row remembers the version it was built to: a replayed older commit is a no-op.
    if (row && event.streamVersion < row.version) return;
    const next = evolve(row?.state ?? null, { type: event.type, data: event.data } as IAM2VirtualIDEvent);
    if (!next || next.deleted) {
      if (row) {
        this.rows.delete(uuid);
        this.indexes.update(uuid, row, undefined);
      }
      return;
    }
    this.set(uuid, row, next, event.streamVersion);
  }

  private set(uuid: string, before: Row | undefined, state: VirtualIDState, version: bigint): void {
    const row: Row = { state, version, seq: this.indexes.seqFor(before) };
    this.rows.set(uuid, row);
    this.indexes.update(uuid, before, row);
  }

  snapshot(): unknown {
    return rowsToJson(this.rows);
  }

  restore(snapshot: unknown): void {
    for (const [uuid, row] of rowsFromJson<VirtualIDState>(snapshot)) this.set(uuid, this.rows.get(uuid), row.state, row.version);
  }

  /** The state a command starts from; a stale one only costs a retry (the append checks the version). */
  loaded(uuid: string): Loaded<VirtualIDState> | undefined {
    const row = this.rows.get(uuid);
    return row && { state: row.state, version: row.version };
  }

  get(uuid: string): VirtualIDState | undefined {
    return this.rows.get(uuid)?.state;
  }

  /** The virtual ID called `name` (names are unique; were two called so, the older). */
  uuidByName = (name: string): string | undefined => this.indexes.index('name').first(name);

  /** The virtual ID an attribute belongs to. */
  virtualIdOfAttribute(attributeUuid: string): string | undefined {
    return this.indexes.index('attributes.uuid').first(attributeUuid);
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
    const indexes = this.indexes;
    if (isAdmin) {
      return {
        *all() { for (const r of rows.values()) yield r.state.inventory; },
        get: (uuid) => rows.get(uuid)?.state.inventory,
        lookup: (field, values) => indexes.lookup(field, values, (r) => r.state.inventory),
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
      lookup: (field, values) => indexes.lookup(field, values, (r) => (sees(r.state) ? r.state.inventory : undefined)),
    };
  }

  /** The attributes of the virtual IDs `visibleTo` shows the caller. */
  attributesVisibleTo(caller: Caller, isAdmin: boolean): QuerySource<IAM2VirtualIDAttributeInventory> {
    const virtualIds = this.visibleTo(caller, isAdmin);
    const indexes = this.indexes;
    const owners = indexes.index('attributes.uuid');
    // The attributes of the visible virtual IDs holding the value, in the order of `all()`.
    const attributesOf = (_row: Row, uuid: string) => virtualIds.get?.(uuid)?.attributes ?? [];
    return {
      *all() { for (const v of virtualIds.all()) yield* v.attributes; },
      get: (uuid) => {
        const owner = owners.first(uuid);
        return owner === undefined ? undefined : virtualIds.get?.(owner)?.attributes.find((a) => a.uuid === uuid);
      },
      lookup: (field, values) => {
        const ownerIndex = Object.prototype.hasOwnProperty.call(ATTRIBUTE_OWNER_INDEX, field) ? ATTRIBUTE_OWNER_INDEX[field] : undefined;
        return ownerIndex === undefined ? undefined : indexes.lookupEach(ownerIndex, values, attributesOf);
      },
    };
  }
}
