import {
  IAM2_VIRTUAL_ID_STREAM_CATEGORY, IAM2_VIRTUAL_ID_USER_TYPE,
  type IAM2VirtualIDAttributeInventory, type IAM2VirtualIDEvent, type IAM2VirtualIDInventory,
} from '@cp/contracts';
import type { ReadModel, Snapshottable } from '@cp/event-store';
import type { QuerySource } from '@cp/query';
import { evolveVirtualID, type Caller, type VirtualIDState } from '@cp/domain/identity';
import { AggregateRows, type AggregateRow } from '../shared/aggregate-rows';

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
export class IAM2VirtualIDReadModel extends AggregateRows<VirtualIDState, IAM2VirtualIDEvent> implements ReadModel, Snapshottable {
  readonly filter = { categories: [IAM2_VIRTUAL_ID_STREAM_CATEGORY] };

  constructor() {
    super({
      evolve: evolveVirtualID,
      gone: (s) => s.deleted,
      indexes: { name: (r) => r.state.inventory.name },
      multiIndexes: {
        'attributes.uuid': (r) => r.state.inventory.attributes.map((a) => a.uuid),
        'attributes.name': (r) => r.state.inventory.attributes.map((a) => a.name),
        'attributes.virtualIDUuid': (r) => r.state.inventory.attributes.map((a) => a.virtualIDUuid),
      },
    });
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

  /**
   * What a caller may query: the admin sees every virtual ID, a virtual ID's own session only
   * itself, an account the virtual IDs it owns.
   */
  visibleTo(caller: Caller, isAdmin: boolean): QuerySource<IAM2VirtualIDInventory> {
    if (isAdmin) return this.sourceOf((r) => r.state.inventory);
    if (caller.userType === IAM2_VIRTUAL_ID_USER_TYPE) {
      const own = this.rows.get(caller.userUuid)?.state.inventory;
      const list = own ? [own] : [];
      return { all: () => list, get: (uuid) => (uuid === caller.userUuid ? own : undefined) };
    }
    return this.sourceOf((r) => (r.state.ownerAccountUuid === caller.accountUuid ? r.state.inventory : undefined));
  }

  /** The attributes of the virtual IDs `visibleTo` shows the caller. */
  attributesVisibleTo(caller: Caller, isAdmin: boolean): QuerySource<IAM2VirtualIDAttributeInventory> {
    const virtualIds = this.visibleTo(caller, isAdmin);
    const indexes = this.indexes;
    const owners = indexes.index('attributes.uuid');
    // The attributes of the visible virtual IDs holding the value, in the order of `all()`.
    const attributesOf = (_row: AggregateRow<VirtualIDState>, uuid: string) => virtualIds.get?.(uuid)?.attributes ?? [];
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
