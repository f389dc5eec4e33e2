import {
  IAM2_VIRTUAL_ID_TYPE, RESOURCE_UUID, UUID_HEX32, invalidArgument, notFound, operationError,
  type AttributeInfo, type IAM2AttributeRecord, type IAM2VirtualIDAttributeInventory, type IAM2VirtualIDEvent,
  type IAM2VirtualIDInventory, type IAM2VirtualIDState as Status, type IAM2VirtualIDStateEvent,
  omitUndefined,
} from '@cp/contracts';
import { adminOnly, requireSession, type Auth } from './account.decider';

/**
 * The IAM2 virtual ID aggregate as pure functions, like the account decider: `evolve` folds events
 * into state, `decide(command, state)` turns a VirtualIDCommand into events or a ZStack error. Time,
 * ids and password hashes come in the command (the per-command `decide*` functions below are the
 * union's, not exported; `checkCreateVirtualID` and `checkUpdateVirtualID` are, for the handlers to
 * run before paying for a slow hash). Checks run in ZStack's order: argument validation (done by the
 * handler before any of this), resource existence, the session, permissions, then the interceptors'
 * rules.
 * Every write is the built-in admin's (ID.1002 for anyone else, a virtual ID's own session included).
 * `virtualIDDecider` is the aggregate as one decider: `decide(command, state)` over VirtualIDCommand.
 */
export interface VirtualIDState {
  /** Frozen, attributes included: queries hand it out without copying. */
  inventory: IAM2VirtualIDInventory;
  passwordHash: string;
  /** The account the virtual ID acts within (its sessions' `accountUuid`): the creator's account. */
  ownerAccountUuid: string;
  deleted: boolean;
}

const API = 'org.zstack.iam2.api';

/** ZStack's field order (uuid, name, value, type, createDate, lastOpDate, virtualIDUuid). */
const attribute = (a: IAM2VirtualIDAttributeInventory): IAM2VirtualIDAttributeInventory => Object.freeze(omitUndefined({
  uuid: a.uuid, name: a.name, value: a.value, type: a.type, createDate: a.createDate, lastOpDate: a.lastOpDate, virtualIDUuid: a.virtualIDUuid,
}));

/** ZStack's field order (uuid, name, description, type, state, createDate, lastOpDate, attributes). */
const inventory = (i: IAM2VirtualIDInventory): IAM2VirtualIDInventory => Object.freeze(omitUndefined({
  uuid: i.uuid, name: i.name, description: i.description, type: i.type, state: i.state,
  createDate: i.createDate, lastOpDate: i.lastOpDate, attributes: Object.freeze([...i.attributes]) as IAM2VirtualIDAttributeInventory[],
}));

const recorded = (virtualIDUuid: string, at: string) => (a: IAM2AttributeRecord): IAM2VirtualIDAttributeInventory =>
  attribute({ uuid: a.uuid, name: a.name, value: a.value, type: a.type, createDate: at, lastOpDate: at, virtualIDUuid });

export function evolve(state: VirtualIDState | null, event: IAM2VirtualIDEvent): VirtualIDState | null {
  if (event.type === 'IAM2VirtualIDCreated') {
    const d = event.data;
    return {
      inventory: inventory({
        uuid: d.uuid, name: d.name, description: d.description, type: d.type, state: d.state,
        createDate: d.createDate, lastOpDate: d.createDate, attributes: d.attributes.map(recorded(d.uuid, d.createDate)),
      }),
      passwordHash: d.passwordHash,
      ownerAccountUuid: d.accountUuid,
      deleted: false,
    };
  }
  if (!state) return state;
  const i = state.inventory;
  const change = (fields: Partial<IAM2VirtualIDInventory>): VirtualIDState => ({ ...state, inventory: inventory({ ...i, ...fields }) });
  switch (event.type) {
    case 'IAM2VirtualIDUpdated': {
      const { uuid: _uuid, ...changes } = event.data;
      return change(omitUndefined(changes));
    }
    case 'IAM2VirtualIDPasswordChanged':
      return { ...change({ lastOpDate: event.data.lastOpDate }), passwordHash: event.data.passwordHash };
    case 'IAM2VirtualIDStateChanged':
      return change({ state: event.data.state, lastOpDate: event.data.lastOpDate });
    case 'IAM2VirtualIDTypeChanged':
      return change({ type: event.data.type, lastOpDate: event.data.lastOpDate });
    case 'IAM2VirtualIDDeleted':
      return { ...state, deleted: true };
    // Attribute events change the attributes' own rows (and dates), not the virtual ID's lastOpDate, as
    // in ZStack where they are rows of another table. Applying one twice changes nothing more.
    case 'IAM2VirtualIDAttributesAdded': {
      const known = new Set(i.attributes.map((a) => a.uuid));
      const added = event.data.attributes.filter((a) => !known.has(a.uuid)).map(recorded(i.uuid, event.data.createDate));
      return change({ attributes: [...i.attributes, ...added] });
    }
    case 'IAM2VirtualIDAttributesRemoved': {
      const removed = new Set(event.data.attributeUuids);
      return change({ attributes: i.attributes.filter((a) => !removed.has(a.uuid)) });
    }
    case 'IAM2VirtualIDAttributeUpdated': {
      const { attributeUuid, value, lastOpDate } = event.data;
      return change({ attributes: i.attributes.map((a) => (a.uuid === attributeUuid ? attribute({ ...a, value, lastOpDate }) : a)) });
    }
  }
}

const virtualIdNotFound = (uuid: string) => notFound(`invalid field[uuid], resource[uuid:${uuid}, type:IAM2VirtualIDVO] not found`);
export const attributeNotFound = (field: string, uuid: string) =>
  notFound(`invalid field[${field}], resource[uuid:${uuid}, type:IAM2VirtualIDAttributeVO] not found`);

function existing(uuid: string, state: VirtualIDState | null): VirtualIDState {
  if (!state || state.deleted) throw virtualIdNotFound(uuid);
  return state;
}

/** Who holds a virtual ID name now (uuid), if anyone: answered from the read model. */
export type NameLookup = (name: string) => string | undefined;

// --- CreateIAM2VirtualID --------------------------------------------------------------------------

export interface CreateVirtualID {
  uuid: string;
  name: string;
  description?: string;
  /** With their uuids, derived from the command id by the handler (a retried command makes the same). */
  attributes: Array<AttributeInfo & { uuid: string }>;
  projectUuid?: string;
  organizationUuid?: string;
}

/** Every rule that needs no password hash, so a refused command costs no slow hash. */
export function checkCreateVirtualID(cmd: CreateVirtualID, current: VirtualIDState | null, auth: Auth, nameTakenBy: NameLookup): void {
  // Projects and organizations are not served yet: no uuid names one.
  if (cmd.projectUuid !== undefined) {
    throw notFound(`invalid field[projectUuid], resource[uuid:${cmd.projectUuid}, type:IAM2ProjectVO] not found`);
  }
  if (cmd.organizationUuid !== undefined) {
    throw notFound(`invalid field[organizationUuid], resource[uuid:${cmd.organizationUuid}, type:IAM2OrganizationVO] not found`);
  }
  adminOnly(requireSession(auth), `${API}.APICreateIAM2VirtualIDMsg`);
  if (nameTakenBy(cmd.name) !== undefined) {
    throw invalidArgument(`unable to create a virtual ID. A virtual ID already called ${cmd.name}`);
  }
  if (current) throw invalidArgument(`invalid field[resourceUuid], a resource with uuid[${cmd.uuid}] already exists`);
}

function decideCreateVirtualID(
  cmd: CreateVirtualID, current: VirtualIDState | null, auth: Auth,
  ctx: { nameTakenBy: NameLookup; passwordHash: string; now: string },
): IAM2VirtualIDEvent[] {
  checkCreateVirtualID(cmd, current, auth, ctx.nameTakenBy);
  const owner = requireSession(auth).accountUuid;
  return [{
    type: 'IAM2VirtualIDCreated',
    data: omitUndefined({
      uuid: cmd.uuid, name: cmd.name, description: cmd.description, type: IAM2_VIRTUAL_ID_TYPE, state: 'Enabled' as const,
      passwordHash: ctx.passwordHash, accountUuid: owner,
      attributes: cmd.attributes.map((a) => omitUndefined({ uuid: a.uuid, name: a.name, value: a.value, type: 'Customized' as const })),
      createDate: ctx.now,
    }),
  }];
}

// --- UpdateIAM2VirtualID --------------------------------------------------------------------------

export interface UpdateVirtualID {
  uuid: string;
  name?: string;
  description?: string;
  /** Whether a new password was given (its hash comes in the command, `newPasswordHash`). */
  changesPassword: boolean;
  /** Whether an old password was given (whether it matched comes in the command, `oldPasswordMatches`). */
  checksOldPassword: boolean;
}

export function checkUpdateVirtualID(cmd: UpdateVirtualID, current: VirtualIDState | null, auth: Auth, nameTakenBy: NameLookup): VirtualIDState {
  const state = existing(cmd.uuid, current);
  adminOnly(requireSession(auth), `${API}.APIUpdateIAM2VirtualIDMsg`);
  if (cmd.name !== undefined) {
    const holder = nameTakenBy(cmd.name);
    if (holder !== undefined && holder !== cmd.uuid) throw invalidArgument(`unable to update name. A virtual ID already called ${cmd.name}`);
  }
  return state;
}

function decideUpdateVirtualID(
  cmd: UpdateVirtualID, current: VirtualIDState | null, auth: Auth,
  ctx: { nameTakenBy: NameLookup; now: string; newPasswordHash?: string; oldPasswordMatches?: boolean },
): IAM2VirtualIDEvent[] {
  const state = checkUpdateVirtualID(cmd, current, auth, ctx.nameTakenBy);
  if (cmd.checksOldPassword && !ctx.oldPasswordMatches) {
    throw operationError(`old password is not equal to the original password, cannot update the password of virtual ID[uuid: ${cmd.uuid}]`);
  }
  const events: IAM2VirtualIDEvent[] = [];
  const i = state.inventory;
  const changes = omitUndefined({
    name: cmd.name !== undefined && cmd.name !== i.name ? cmd.name : undefined,
    description: cmd.description !== undefined && cmd.description !== i.description ? cmd.description : undefined,
  });
  if (Object.keys(changes).length > 0) events.push({ type: 'IAM2VirtualIDUpdated', data: { uuid: cmd.uuid, ...changes, lastOpDate: ctx.now } });
  if (cmd.changesPassword) {
    if (!ctx.newPasswordHash) throw new Error('decideUpdateVirtualID: a password change needs its hash');
    events.push({ type: 'IAM2VirtualIDPasswordChanged', data: { uuid: cmd.uuid, passwordHash: ctx.newPasswordHash, lastOpDate: ctx.now } });
  }
  return events;
}

// --- ChangeIAM2VirtualIDState / ChangeIAM2VirtualIDType -------------------------------------------

function decideChangeVirtualIDState(
  cmd: { uuid: string; stateEvent: IAM2VirtualIDStateEvent }, current: VirtualIDState | null, auth: Auth, now: string,
): IAM2VirtualIDEvent[] {
  const state = existing(cmd.uuid, current);
  adminOnly(requireSession(auth), `${API}.APIChangeIAM2VirtualIDStateMsg`);
  const next: Status = cmd.stateEvent === 'enable' ? 'Enabled' : 'Disabled';
  if (next === state.inventory.state) return [];
  return [{ type: 'IAM2VirtualIDStateChanged', data: { uuid: cmd.uuid, state: next, lastOpDate: now } }];
}

function decideChangeVirtualIDType(
  cmd: { uuid: string; type: string }, current: VirtualIDState | null, auth: Auth, now: string,
): IAM2VirtualIDEvent[] {
  const state = existing(cmd.uuid, current);
  adminOnly(requireSession(auth), `${API}.APIChangeIAM2VirtualIDTypeMsg`);
  if (cmd.type === state.inventory.type) return [];
  return [{ type: 'IAM2VirtualIDTypeChanged', data: { uuid: cmd.uuid, type: cmd.type, lastOpDate: now } }];
}

// --- DeleteIAM2VirtualID --------------------------------------------------------------------------

/**
 * ZStack's successIfResourceNotExisting, as for accounts: a missing but well-formed uuid deletes
 * nothing and succeeds, before the session is looked at.
 */
function decideDeleteVirtualID(uuid: string, current: VirtualIDState | null, auth: Auth, now: string): IAM2VirtualIDEvent[] {
  if (!UUID_HEX32.test(uuid) && !RESOURCE_UUID.test(uuid)) throw notFound(`invalid value[${uuid}] of field [uuid]`);
  if (!current || current.deleted) return [];
  adminOnly(requireSession(auth), `${API}.APIDeleteIAM2VirtualIDMsg`);
  return [{ type: 'IAM2VirtualIDDeleted', data: { uuid, deletedAt: now } }];
}

// --- Attributes -----------------------------------------------------------------------------------

/** Attributes that already carry their uuid are skipped: a command decided again after its append adds nothing twice. */
function decideAddAttributes(
  cmd: { uuid: string; attributes: Array<AttributeInfo & { uuid: string }> }, current: VirtualIDState | null, auth: Auth, now: string,
): IAM2VirtualIDEvent[] {
  const state = existing(cmd.uuid, current);
  adminOnly(requireSession(auth), `${API}.APIAddAttributesToIAM2VirtualIDMsg`);
  const known = new Set(state.inventory.attributes.map((a) => a.uuid));
  const added = cmd.attributes.filter((a) => !known.has(a.uuid))
    .map((a) => omitUndefined({ uuid: a.uuid, name: a.name, value: a.value, type: 'Customized' as const }));
  if (added.length === 0) return [];
  return [{ type: 'IAM2VirtualIDAttributesAdded', data: { uuid: cmd.uuid, attributes: added, createDate: now } }];
}

/** Every uuid must name an attribute of this virtual ID (SYS.1003 otherwise, before the session as a resource check). */
function decideRemoveAttributes(
  cmd: { uuid: string; attributeUuids: string[] }, current: VirtualIDState | null, auth: Auth, now: string,
): IAM2VirtualIDEvent[] {
  const state = existing(cmd.uuid, current);
  const own = new Set(state.inventory.attributes.map((a) => a.uuid));
  const missing = cmd.attributeUuids.find((u) => !own.has(u));
  if (missing !== undefined) throw attributeNotFound('attributeUuids', missing);
  adminOnly(requireSession(auth), `${API}.APIRemoveAttributesFromIAM2VirtualIDMsg`);
  return [{ type: 'IAM2VirtualIDAttributesRemoved', data: { uuid: cmd.uuid, attributeUuids: [...new Set(cmd.attributeUuids)], removedAt: now } }];
}

/** The attribute of `state` with this uuid, or SYS.1003 naming it (the API gets only the attribute's uuid). */
export function attributeOf(attributeUuid: string, current: VirtualIDState | null): IAM2VirtualIDAttributeInventory {
  const found = current && !current.deleted ? current.inventory.attributes.find((a) => a.uuid === attributeUuid) : undefined;
  if (!found) throw attributeNotFound('uuid', attributeUuid);
  return found;
}

function decideUpdateAttribute(
  cmd: { attributeUuid: string; value: string }, current: VirtualIDState | null, auth: Auth, now: string,
): IAM2VirtualIDEvent[] {
  const found = attributeOf(cmd.attributeUuid, current);
  adminOnly(requireSession(auth), `${API}.APIUpdateIAM2VirtualIDAttributeMsg`);
  if (found.value === cmd.value) return [];
  return [{ type: 'IAM2VirtualIDAttributeUpdated', data: { uuid: found.virtualIDUuid, attributeUuid: cmd.attributeUuid, value: cmd.value, lastOpDate: now } }];
}

// --- The decider ----------------------------------------------------------------------------------

/**
 * The virtual ID's commands, each with what deciding it takes beyond the state: the caller, the time,
 * the password hashes (slow: computed before), and who holds the name asked for (the read model's answer).
 */
export type VirtualIDCommand =
  | {
    type: 'CreateIAM2VirtualID'; data: CreateVirtualID; auth: Auth; now: string; passwordHash: string;
    /** The virtual ID (uuid) already called `data.name`, if any. */
    nameTakenBy?: string;
  }
  | {
    type: 'UpdateIAM2VirtualID'; data: UpdateVirtualID; auth: Auth; now: string;
    /** The virtual ID (uuid) already called `data.name`, if any (asked only when `data.name` is given). */
    nameTakenBy?: string;
    /** The new password's hash, when `data.changesPassword`. */
    newPasswordHash?: string;
    /** Whether the old password given matched, when `data.checksOldPassword`. */
    oldPasswordMatches?: boolean;
  }
  | { type: 'ChangeIAM2VirtualIDState'; data: { uuid: string; stateEvent: IAM2VirtualIDStateEvent }; auth: Auth; now: string }
  | { type: 'ChangeIAM2VirtualIDType'; data: { uuid: string; type: string }; auth: Auth; now: string }
  | { type: 'DeleteIAM2VirtualID'; data: { uuid: string }; auth: Auth; now: string }
  | { type: 'AddAttributesToIAM2VirtualID'; data: { uuid: string; attributes: Array<AttributeInfo & { uuid: string }> }; auth: Auth; now: string }
  | { type: 'RemoveAttributesFromIAM2VirtualID'; data: { uuid: string; attributeUuids: string[] }; auth: Auth; now: string }
  | { type: 'UpdateIAM2VirtualIDAttribute'; data: { attributeUuid: string; value: string }; auth: Auth; now: string };

export function decide(command: VirtualIDCommand, state: VirtualIDState | null): IAM2VirtualIDEvent[] {
  switch (command.type) {
    case 'CreateIAM2VirtualID':
      return decideCreateVirtualID(command.data, state, command.auth, {
        nameTakenBy: () => command.nameTakenBy, passwordHash: command.passwordHash, now: command.now,
      });
    case 'UpdateIAM2VirtualID':
      return decideUpdateVirtualID(command.data, state, command.auth, {
        nameTakenBy: () => command.nameTakenBy, now: command.now,
        newPasswordHash: command.newPasswordHash, oldPasswordMatches: command.oldPasswordMatches,
      });
    case 'ChangeIAM2VirtualIDState':
      return decideChangeVirtualIDState(command.data, state, command.auth, command.now);
    case 'ChangeIAM2VirtualIDType':
      return decideChangeVirtualIDType(command.data, state, command.auth, command.now);
    case 'DeleteIAM2VirtualID':
      return decideDeleteVirtualID(command.data.uuid, state, command.auth, command.now);
    case 'AddAttributesToIAM2VirtualID':
      return decideAddAttributes(command.data, state, command.auth, command.now);
    case 'RemoveAttributesFromIAM2VirtualID':
      return decideRemoveAttributes(command.data, state, command.auth, command.now);
    case 'UpdateIAM2VirtualIDAttribute':
      return decideUpdateAttribute(command.data, state, command.auth, command.now);
  }
}

/** The IAM2 virtual ID aggregate as one decider (a virtual ID that does not exist yet is `null`). */
export const virtualIDDecider = { decide, evolve, initialState: null as VirtualIDState | null };
