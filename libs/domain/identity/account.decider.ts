import {
  ADMIN_ACCOUNT_UUID, RESOURCE_UUID, UUID_HEX32, adminOnly, invalidArgument, isAdmin, notFound, operationError, requireSession,
  type Auth, type Caller,
  type AccountEvent, type AccountInventory, type AccountState as AccountStatus, type AccountType,
  omitUndefined,
} from '@cp/contracts';

/**
 * The account aggregate as pure functions: `evolve` folds events into state, `decide(command, state)`
 * turns an AccountCommand into events or a ZStack error. Time, ids and password hashes come in the
 * command. Rules and texts follow ZStack (AccountManagerImpl, AccountBase, RBAC), checked in ZStack's
 * order: resource existence, then the session, then permissions, then the interceptors. The
 * per-command `decide*` functions below are the union's, not exported: every caller goes through
 * `decide` (or `accountDecider`, the aggregate as one decider). `checkCreateAccount` and
 * `checkUpdateAccount` stay exported: the handlers run them before paying for a slow hash.
 */
export interface AccountState {
  inventory: AccountInventory;
  passwordHash: string;
  deleted: boolean;
}

export { adminOnly, isAdmin, requireSession, type Auth, type Caller } from '@cp/contracts';

/** The account itself (not a virtual ID within it). */
export const isAccount = (caller: Caller, accountUuid: string) => caller.userUuid === accountUuid && caller.accountUuid === accountUuid;

export function evolve(state: AccountState | null, event: AccountEvent): AccountState | null {
  switch (event.type) {
    case 'AccountCreated': {
      const d = event.data;
      const inventory: AccountInventory = omitUndefined({
        uuid: d.uuid, name: d.name, description: d.description, type: d.type, state: d.state,
        createDate: d.createDate, lastOpDate: d.createDate,
      });
      return { inventory: Object.freeze(inventory), passwordHash: d.passwordHash, deleted: false };
    }
    case 'AccountUpdated': {
      if (!state) return state;
      const d = event.data;
      const i = state.inventory;
      const inventory = reorder({
        ...i, name: d.name ?? i.name, description: d.description ?? i.description, state: d.state ?? i.state, lastOpDate: d.lastOpDate,
      });
      return { ...state, inventory: Object.freeze(inventory) };
    }
    case 'AccountPasswordChanged':
      if (!state) return state;
      return { ...state, passwordHash: event.data.passwordHash, inventory: Object.freeze({ ...state.inventory, lastOpDate: event.data.lastOpDate }) };
    case 'AccountDeleted':
      return state && { ...state, deleted: true };
  }
}

/** ZStack's field order (uuid, name, description, type, state, createDate, lastOpDate). */
function reorder(i: AccountInventory): AccountInventory {
  return omitUndefined({
    uuid: i.uuid, name: i.name, description: i.description, type: i.type, state: i.state,
    createDate: i.createDate, lastOpDate: i.lastOpDate,
  });
}

/** Who owns an account name now (uuid), if anyone: answered from the read model. */
export type NameLookup = (name: string) => string | undefined;

// --- CreateAccount --------------------------------------------------------------------------------

export interface CreateAccount {
  uuid: string;
  name: string;
  description?: string;
  type: AccountType;
  state: AccountStatus;
}

/** Every rule that needs no password hash, so a refused command costs no slow hash. */
export function checkCreateAccount(cmd: CreateAccount, existing: AccountState | null, auth: Auth, nameTakenBy: NameLookup): void {
  const caller = requireSession(auth);
  adminOnly(caller, 'org.zstack.header.identity.APICreateAccountMsg');
  if (nameTakenBy(cmd.name) !== undefined) {
    throw invalidArgument(`unable to create an account. An account already called ${cmd.name}`);
  }
  if (existing) throw invalidArgument(`invalid field[resourceUuid], a resource with uuid[${cmd.uuid}] already exists`);
}

function decideCreateAccount(
  cmd: CreateAccount, existing: AccountState | null, auth: Auth,
  ctx: { nameTakenBy: NameLookup; passwordHash: string; now: string },
): AccountEvent[] {
  checkCreateAccount(cmd, existing, auth, ctx.nameTakenBy);
  return [{
    type: 'AccountCreated',
    data: omitUndefined({
      uuid: cmd.uuid, name: cmd.name, description: cmd.description, type: cmd.type, state: cmd.state,
      passwordHash: ctx.passwordHash, createDate: ctx.now,
    }),
  }];
}

// --- UpdateAccount --------------------------------------------------------------------------------

export interface UpdateAccount {
  uuid: string;
  name?: string;
  description?: string;
  state?: AccountStatus;
  /** Whether a new password was given (its hash comes in the command, `newPasswordHash`). */
  changesPassword: boolean;
  /** Whether an old password was given (whether it matched comes in the command, `oldPasswordMatches`). */
  checksOldPassword: boolean;
}

export function checkUpdateAccount(cmd: UpdateAccount, state: AccountState | null, auth: Auth, nameTakenBy: NameLookup): AccountState {
  if (!state || state.deleted) {
    throw notFound(`invalid field[uuid], resource[uuid:${cmd.uuid}, type:AccountVO] not found`);
  }
  const caller = requireSession(auth);
  if (!isAdmin(caller) && !isAccount(caller, cmd.uuid)) {
    throw operationError(`account[${caller.accountUuid}] is a normal account, it cannot reset the password of another account[${cmd.uuid}]`);
  }
  if (cmd.uuid === ADMIN_ACCOUNT_UUID && cmd.name !== undefined && cmd.name !== state.inventory.name) {
    throw operationError('the name of admin account cannot be updated');
  }
  if (cmd.state !== undefined && cmd.state !== state.inventory.state) {
    adminOnly(caller, 'org.zstack.header.identity.APIUpdateAccountMsg (state)');
    if (cmd.uuid === ADMIN_ACCOUNT_UUID) throw operationError('the state of the builtin admin account cannot be changed');
  }
  if (cmd.name !== undefined) {
    const owner = nameTakenBy(cmd.name);
    if (owner !== undefined && owner !== cmd.uuid) {
      throw invalidArgument(`unable to update name. An account already called ${cmd.name}`);
    }
  }
  return state;
}

function decideUpdateAccount(
  cmd: UpdateAccount, current: AccountState | null, auth: Auth,
  ctx: { nameTakenBy: NameLookup; now: string; newPasswordHash?: string; oldPasswordMatches?: boolean },
): AccountEvent[] {
  const state = checkUpdateAccount(cmd, current, auth, ctx.nameTakenBy);
  if (cmd.checksOldPassword && !ctx.oldPasswordMatches) {
    throw operationError(`old password is not equal to the original password, cannot update the password of account[uuid: ${cmd.uuid}]`);
  }
  const events: AccountEvent[] = [];
  const i = state.inventory;
  const changes = omitUndefined({
    name: cmd.name !== undefined && cmd.name !== i.name ? cmd.name : undefined,
    description: cmd.description !== undefined && cmd.description !== i.description ? cmd.description : undefined,
    state: cmd.state !== undefined && cmd.state !== i.state ? cmd.state : undefined,
  });
  if (Object.keys(changes).length > 0) {
    events.push({ type: 'AccountUpdated', data: { uuid: cmd.uuid, ...changes, lastOpDate: ctx.now } });
  }
  if (cmd.changesPassword) {
    if (!ctx.newPasswordHash) throw new Error('decideUpdateAccount: a password change needs its hash');
    events.push({ type: 'AccountPasswordChanged', data: { uuid: cmd.uuid, passwordHash: ctx.newPasswordHash, lastOpDate: ctx.now } });
  }
  return events;
}

// --- DeleteAccount --------------------------------------------------------------------------------

/**
 * ZStack's successIfResourceNotExisting: a missing but well-formed uuid deletes nothing and succeeds,
 * before the session is even looked at (the resource check runs first in ZStack).
 */
function decideDeleteAccount(uuid: string, state: AccountState | null, auth: Auth, now: string): AccountEvent[] {
  if (!UUID_HEX32.test(uuid) && !RESOURCE_UUID.test(uuid)) throw notFound(`invalid value[${uuid}] of field [uuid]`);
  if (!state || state.deleted) return [];
  const caller = requireSession(auth);
  if (isAccount(caller, uuid) && state.inventory.type === 'SystemAdmin') throw invalidArgument('account cannot delete itself');
  if (uuid === ADMIN_ACCOUNT_UUID) throw invalidArgument('cannot delete builtin admin account.');
  if (!isAdmin(caller)) throw invalidArgument('Only admin can delete account.');
  return [{ type: 'AccountDeleted', data: { uuid, deletedAt: now } }];
}

// --- The decider ----------------------------------------------------------------------------------

/**
 * The account's commands, each with what deciding it takes beyond the state: the caller, the time,
 * the password hashes (slow: computed before), and who holds the name asked for (the read model's answer).
 */
export type AccountCommand =
  | {
    type: 'CreateAccount'; data: CreateAccount; auth: Auth; now: string; passwordHash: string;
    /** The account (uuid) already called `data.name`, if any. */
    nameTakenBy?: string;
  }
  | {
    type: 'UpdateAccount'; data: UpdateAccount; auth: Auth; now: string;
    /** The account (uuid) already called `data.name`, if any (asked only when `data.name` is given). */
    nameTakenBy?: string;
    /** The new password's hash, when `data.changesPassword`. */
    newPasswordHash?: string;
    /** Whether the old password given matched, when `data.checksOldPassword`. */
    oldPasswordMatches?: boolean;
  }
  | { type: 'DeleteAccount'; data: { uuid: string }; auth: Auth; now: string };

export function decide(command: AccountCommand, state: AccountState | null): AccountEvent[] {
  switch (command.type) {
    case 'CreateAccount':
      return decideCreateAccount(command.data, state, command.auth, {
        nameTakenBy: () => command.nameTakenBy, passwordHash: command.passwordHash, now: command.now,
      });
    case 'UpdateAccount':
      return decideUpdateAccount(command.data, state, command.auth, {
        nameTakenBy: () => command.nameTakenBy, now: command.now,
        newPasswordHash: command.newPasswordHash, oldPasswordMatches: command.oldPasswordMatches,
      });
    case 'DeleteAccount':
      return decideDeleteAccount(command.data.uuid, state, command.auth, command.now);
  }
}

/** The account aggregate as one decider (an account that does not exist yet is `null`). */
export const accountDecider = { decide, evolve, initialState: null as AccountState | null };
