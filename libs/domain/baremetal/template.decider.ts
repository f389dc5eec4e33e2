import {
  RESOURCE_UUID, UUID_HEX32, adminOnly, invalidArgument, notFound, requireSession,
  type Auth, type PreconfigurationTemplateEvent, type PreconfigurationTemplateInventory, type PreconfigurationTemplateStateEvent,
  type PreconfigurationTemplateType,
  omitUndefined,
} from '@cp/contracts';
import { md5 } from './md5';
import { checkContent } from './template-params';

/**
 * The preconfiguration template aggregate as pure functions (zstack-wire.md §5): `evolve` folds
 * events into state, `decide(command, state)` turns a TemplateCommand into events or a ZStack error,
 * in ZStack's order: resource existence, then the session, then the admin check, then the
 * interceptor's rules. Time, uuids and the caller come in the command (`decide` passes the MD5 of
 * md5.ts). The per-command `decide*` functions below are the union's, not exported: every caller
 * goes through `decide` (or `templateDecider`, the aggregate as one decider).
 */
export interface TemplateState {
  inventory: PreconfigurationTemplateInventory;
  ownerAccountUuid: string;
}

const API = 'org.zstack.header.baremetal.preconfiguration';

/** ZStack's field order; `description` left out when absent (null fields are omitted on the wire). */
function inventoryOf(i: PreconfigurationTemplateInventory): PreconfigurationTemplateInventory {
  return Object.freeze(omitUndefined({
    uuid: i.uuid, name: i.name, description: i.description, distribution: i.distribution, type: i.type, content: i.content,
    md5sum: i.md5sum, isPredefined: i.isPredefined, state: i.state, createDate: i.createDate, lastOpDate: i.lastOpDate,
    customParams: Object.freeze([...i.customParams]) as string[],
  }));
}

export function evolve(state: TemplateState | null, event: PreconfigurationTemplateEvent): TemplateState | null {
  switch (event.type) {
    case 'PreconfigurationTemplateAdded': {
      const { ownerAccountUuid, createDate, ...d } = event.data;
      return { inventory: inventoryOf({ ...d, createDate, lastOpDate: createDate }), ownerAccountUuid };
    }
    case 'PreconfigurationTemplateUpdated': {
      if (!state) return state;
      const { uuid: _uuid, ...changes } = event.data;
      return { ...state, inventory: inventoryOf({ ...state.inventory, ...omitUndefined(changes) }) };
    }
    case 'TemplateStateChanged':
      if (!state) return state;
      return { ...state, inventory: inventoryOf({ ...state.inventory, state: event.data.state, lastOpDate: event.data.lastOpDate }) };
    case 'PreconfigurationTemplateDeleted':
      return null;
  }
}

const missing = (uuid: string) =>
  notFound(`invalid field[uuid], resource[uuid:${uuid}, type:PreconfigurationTemplateVO] not found`);

function existing(uuid: string, state: TemplateState | null): TemplateState {
  if (!state) throw missing(uuid);
  return state;
}

/** The interceptor's content rules; the custom params of a content that passes. */
function customParamsOf(content: string): string[] {
  const checked = checkContent(content);
  if ('error' in checked) throw invalidArgument(checked.error);
  return checked.params.custom;
}

// --- AddPreconfigurationTemplate ------------------------------------------------------------------

export interface AddTemplate {
  uuid: string;
  name: string;
  description?: string;
  distribution: string;
  type: PreconfigurationTemplateType;
  content: string;
}

interface AddContext {
  now: string;
  md5: (content: string) => string;
  /** Predefined templates are written by the service itself at first start, as the admin. */
  predefined?: boolean;
}

function decideAdd(cmd: AddTemplate, state: TemplateState | null, auth: Auth, ctx: AddContext): PreconfigurationTemplateEvent[] {
  if (state) throw invalidArgument(`invalid field[resourceUuid], a resource with uuid[${cmd.uuid}] already exists`);
  const caller = requireSession(auth);
  adminOnly(caller, `${API}.APIAddPreconfigurationTemplateMsg`);
  const customParams = customParamsOf(cmd.content);
  return [{
    type: 'PreconfigurationTemplateAdded',
    data: omitUndefined({
      uuid: cmd.uuid, name: cmd.name, description: cmd.description, distribution: cmd.distribution, type: cmd.type,
      content: cmd.content, md5sum: ctx.md5(cmd.content), customParams, isPredefined: ctx.predefined === true,
      state: 'Enabled' as const, ownerAccountUuid: caller.accountUuid, createDate: ctx.now,
    }),
  }];
}

// --- UpdatePreconfigurationTemplate ---------------------------------------------------------------

export interface UpdateTemplate {
  uuid: string;
  name?: string;
  description?: string;
  distribution?: string;
  type?: PreconfigurationTemplateType;
  content?: string;
}

/**
 * Only what differs is recorded; a content that changes brings its md5sum and customParams, computed
 * once here. Nothing that differs: no event (the reply is the inventory as it is).
 */
function decideUpdate(
  cmd: UpdateTemplate, current: TemplateState | null, auth: Auth, ctx: { now: string; md5: (content: string) => string },
): PreconfigurationTemplateEvent[] {
  const state = existing(cmd.uuid, current);
  const caller = requireSession(auth);
  adminOnly(caller, `${API}.APIUpdatePreconfigurationTemplateMsg`);
  if (state.inventory.isPredefined) throw invalidArgument('cannot update predefined preconfiguration templates');
  const i = state.inventory;
  const changed = <K extends keyof UpdateTemplate>(key: K) => (cmd[key] !== undefined && cmd[key] !== i[key] ? cmd[key] : undefined);
  const content = changed('content');
  const contentChanges = content !== undefined
    ? { content, md5sum: ctx.md5(content), customParams: customParamsOf(content) }
    : {};
  const changes = omitUndefined({
    name: changed('name'), description: changed('description'), distribution: changed('distribution'), type: changed('type'),
    ...contentChanges,
  });
  if (Object.keys(changes).length === 0) return [];
  return [{ type: 'PreconfigurationTemplateUpdated', data: { uuid: cmd.uuid, ...changes, lastOpDate: ctx.now } }];
}

// --- ChangePreconfigurationTemplateState ----------------------------------------------------------

function decideChangeState(
  uuid: string, stateEvent: PreconfigurationTemplateStateEvent, current: TemplateState | null, auth: Auth, now: string,
): PreconfigurationTemplateEvent[] {
  const state = existing(uuid, current);
  const caller = requireSession(auth);
  adminOnly(caller, `${API}.APIChangePreconfigurationTemplateStateMsg`);
  if (state.inventory.isPredefined) throw invalidArgument('cannot change state of predefined preconfiguration templates');
  const next = stateEvent === 'enable' ? 'Enabled' : 'Disabled';
  if (next === state.inventory.state) return [];
  return [{ type: 'TemplateStateChanged', data: { uuid, state: next, stateEvent, lastOpDate: now } }];
}

// --- DeletePreconfigurationTemplate ---------------------------------------------------------------

/**
 * ZStack's successIfResourceNotExisting: a missing but well-formed uuid deletes nothing and succeeds,
 * before the session is looked at (the resource check runs first in ZStack).
 */
function decideDelete(uuid: string, current: TemplateState | null, auth: Auth): PreconfigurationTemplateEvent[] {
  if (!UUID_HEX32.test(uuid) && !RESOURCE_UUID.test(uuid)) throw notFound(`invalid value[${uuid}] of field [uuid]`);
  if (!current) return [];
  const caller = requireSession(auth);
  adminOnly(caller, `${API}.APIDeletePreconfigurationTemplateMsg`);
  if (current.inventory.isPredefined) throw invalidArgument('cannot delete predefined preconfiguration templates');
  return [{ type: 'PreconfigurationTemplateDeleted', data: { uuid } }];
}

// --- The decider ----------------------------------------------------------------------------------

/** The template's commands, each with what deciding it takes beyond the state: the caller, the time. */
export type TemplateCommand =
  | {
    type: 'AddPreconfigurationTemplate'; data: AddTemplate; auth: Auth; now: string;
    /** Predefined templates are written by the service itself at first start, as the admin. */
    predefined?: boolean;
  }
  | { type: 'UpdatePreconfigurationTemplate'; data: UpdateTemplate; auth: Auth; now: string }
  | {
    type: 'ChangePreconfigurationTemplateState'; data: { uuid: string; stateEvent: PreconfigurationTemplateStateEvent };
    auth: Auth; now: string;
  }
  | { type: 'DeletePreconfigurationTemplate'; data: { uuid: string }; auth: Auth };

export function decide(command: TemplateCommand, state: TemplateState | null): PreconfigurationTemplateEvent[] {
  switch (command.type) {
    case 'AddPreconfigurationTemplate':
      return decideAdd(command.data, state, command.auth, { now: command.now, md5, predefined: command.predefined });
    case 'UpdatePreconfigurationTemplate':
      return decideUpdate(command.data, state, command.auth, { now: command.now, md5 });
    case 'ChangePreconfigurationTemplateState':
      return decideChangeState(command.data.uuid, command.data.stateEvent, state, command.auth, command.now);
    case 'DeletePreconfigurationTemplate':
      return decideDelete(command.data.uuid, state, command.auth);
  }
}

/** The preconfiguration template aggregate as one decider (a template that does not exist yet is `null`). */
export const templateDecider = { decide, evolve, initialState: null as TemplateState | null };
