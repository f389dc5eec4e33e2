import {
  ACCESS_KEY_QUOTA, RESOURCE_UUID, UUID_HEX32, ZStackError, invalidArgument, notFound, permissionDenied,
  type AccessKeyEvent, type AccessKeyInventory, type AccessKeyState as AccessKeyStatus, type SealedSecret,
  omitUndefined,
} from '@cp/contracts';
import { isAccount, isAdmin, type Auth, type Caller } from './account.decider';

/**
 * The access key aggregate as pure functions (`accesskey-<uuid>` streams): `evolve` folds events into
 * state, `decide(command, state)` turns an AccessKeyCommand into events or a ZStack error. Time, ids,
 * the sealed secret and the read models' answers come in the command; the plain secret never enters
 * an event. The per-command `decide*` functions below are the union's, not exported
 * (`checkCreateAccessKey` is: the create handler runs it before sealing anything). Rules and texts
 * follow ZStack's AccessKeyApiInterceptor and AccessKeyManager, checked in ZStack's order: resource
 * existence, the session, permissions, then the interceptor's checks.
 *
 * Who manages a key: the built-in admin, and the account the key belongs to (the account itself; a
 * virtual ID within it does not, as a key acts with the whole account's rights).
 *
 * `accessKeyDecider` is the aggregate as one decider: `decide(command, state)` over AccessKeyCommand.
 */
export interface AccessKeyRecord {
  /** What queries show: never the secret. */
  inventory: AccessKeyInventory;
  /** The secret, sealed with the master key ring (AAD = the key's uuid). */
  secret: SealedSecret;
  deleted: boolean;
}

/** What the rules need to know beyond the key's own stream, answered from the read models. */
export interface AccessKeyLookups {
  /** The account exists (and is not deleted). */
  accountExists(accountUuid: string): boolean;
  /** Live keys of an account. */
  keyCount(accountUuid: string): number;
  /** The uuid of the live key holding this AccessKeyID, if any. */
  accessKeyIdTakenBy(accessKeyId: string): string | undefined;
}

/** ZStack's AccessKeyApiInterceptor.validateAccount text, as ID.1002. */
export const NO_PERMISSION = 'No permission to modify the AccessKey for current account';

/** ZStack's field order; `AccessKeySecret` only when given (CreateAccessKey's reply). */
export function toInventory(i: AccessKeyInventory, secret?: string): AccessKeyInventory {
  return omitUndefined({
    uuid: i.uuid, description: i.description, accountUuid: i.accountUuid, userUuid: i.userUuid, AccessKeyID: i.AccessKeyID,
    AccessKeySecret: secret, state: i.state, type: i.type, createDate: i.createDate, lastOpDate: i.lastOpDate,
  });
}

export function evolve(state: AccessKeyRecord | null, event: AccessKeyEvent): AccessKeyRecord | null {
  switch (event.type) {
    case 'AccessKeyCreated': {
      const d = event.data;
      const inventory = toInventory({
        uuid: d.uuid, description: d.description, accountUuid: d.accountUuid, userUuid: d.userUuid, AccessKeyID: d.accessKeyId,
        state: d.state, type: d.keyType, createDate: d.createDate, lastOpDate: d.createDate,
      });
      return { inventory: Object.freeze(inventory), secret: d.secret, deleted: false };
    }
    case 'AccessKeyStateChanged':
      if (!state) return state;
      return { ...state, inventory: Object.freeze({ ...state.inventory, state: event.data.state, lastOpDate: event.data.lastOpDate }) };
    case 'AccessKeyDeleted':
      return state && { ...state, deleted: true };
    default:
      return state;
  }
}

const callerOf = (auth: Auth): Caller => {
  if (!auth.ok) throw auth.error;
  return auth.caller;
};

/** The admin, or the account itself. */
export const mayManage = (caller: Caller, accountUuid: string) => isAdmin(caller) || isAccount(caller, accountUuid);

const keyNotFound = (uuid: string) => notFound(`invalid field[uuid], resource[uuid:${uuid}, type:AccessKeyVO] not found`);

/** A key that counts: created, not deleted, its account still there. */
const live = (state: AccessKeyRecord | null, lookups: AccessKeyLookups): state is AccessKeyRecord =>
  state !== null && !state.deleted && lookups.accountExists(state.inventory.accountUuid);

// --- CreateAccessKey ------------------------------------------------------------------------------

export interface CreateAccessKey {
  uuid: string;
  accountUuid: string;
  description?: string;
  /** What the client gave, if anything (both or neither); else the handler generates them. */
  given: { accessKeyId?: string; secret?: string };
  /** The AccessKeyID the key gets: the given one, or a generated one. */
  accessKeyId: string;
}

/** Every rule, so that the handler refuses before sealing anything; decide checks again. */
export function checkCreateAccessKey(cmd: CreateAccessKey, existing: AccessKeyRecord | null, auth: Auth, lookups: AccessKeyLookups): void {
  if (!lookups.accountExists(cmd.accountUuid)) {
    throw notFound(`invalid field[accountUuid], resource[uuid:${cmd.accountUuid}, type:AccountVO] not found`);
  }
  const caller = callerOf(auth);
  if (!mayManage(caller, cmd.accountUuid)) throw permissionDenied(NO_PERMISSION);
  const { accessKeyId, secret } = cmd.given;
  if ((accessKeyId === undefined) !== (secret === undefined)) {
    throw invalidArgument('If a specified Accesskey is expected, the AccesskeyId and the AccesskeySecret must be provided at the same time.');
  }
  if (accessKeyId?.includes(':') || secret?.includes(':')) throw invalidArgument("Access key ID and secret cannot contain ':'");
  if (existing) throw invalidArgument(`invalid field[resourceUuid], a resource with uuid[${cmd.uuid}] already exists`);
  const holder = lookups.accessKeyIdTakenBy(cmd.accessKeyId);
  if (holder !== undefined && holder !== cmd.uuid) throw invalidArgument(`the AccessKeyID[${cmd.accessKeyId}] is already in use`);
  if (lookups.keyCount(cmd.accountUuid) >= ACCESS_KEY_QUOTA) {
    throw new ZStackError('ID.1003', `The number of access keys for account[uuid=${cmd.accountUuid}] has exceeded the maximum limit`);
  }
}

function decideCreateAccessKey(
  cmd: CreateAccessKey, existing: AccessKeyRecord | null, auth: Auth,
  ctx: AccessKeyLookups & { secret: SealedSecret; keyType: string; now: string },
): AccessKeyEvent[] {
  checkCreateAccessKey(cmd, existing, auth, ctx);
  return [{
    type: 'AccessKeyCreated',
    data: omitUndefined({
      uuid: cmd.uuid, accountUuid: cmd.accountUuid, userUuid: cmd.accountUuid, description: cmd.description,
      accessKeyId: cmd.accessKeyId, secret: { keyId: ctx.secret.keyId, ciphertext: ctx.secret.ciphertext },
      state: 'Enabled' as const, keyType: ctx.keyType, createDate: ctx.now,
    }),
  }];
}

// --- ChangeAccessKeyState -------------------------------------------------------------------------

export interface ChangeAccessKeyState {
  uuid: string;
  stateEvent: 'enable' | 'disable';
}

function decideChangeAccessKeyState(
  cmd: ChangeAccessKeyState, state: AccessKeyRecord | null, auth: Auth, ctx: AccessKeyLookups & { now: string },
): AccessKeyEvent[] {
  if (!live(state, ctx)) throw keyNotFound(cmd.uuid);
  const caller = callerOf(auth);
  if (!mayManage(caller, state.inventory.accountUuid)) throw permissionDenied(NO_PERMISSION);
  const next: AccessKeyStatus = cmd.stateEvent === 'enable' ? 'Enabled' : 'Disabled';
  if (next === state.inventory.state) return [];
  return [{ type: 'AccessKeyStateChanged', data: { uuid: cmd.uuid, state: next, lastOpDate: ctx.now } }];
}

// --- DeleteAccessKey ------------------------------------------------------------------------------

/** successIfResourceNotExisting: a missing but well-formed uuid deletes nothing and succeeds, before the session is looked at. */
function decideDeleteAccessKey(
  uuid: string, state: AccessKeyRecord | null, auth: Auth, ctx: AccessKeyLookups & { now: string },
): AccessKeyEvent[] {
  if (!UUID_HEX32.test(uuid) && !RESOURCE_UUID.test(uuid)) throw notFound(`invalid value[${uuid}] of field [uuid]`);
  if (!live(state, ctx)) return [];
  const caller = callerOf(auth);
  if (!mayManage(caller, state.inventory.accountUuid)) throw permissionDenied(NO_PERMISSION);
  return [{ type: 'AccessKeyDeleted', data: { uuid, deletedAt: ctx.now } }];
}

// --- The decider ----------------------------------------------------------------------------------

/**
 * The access key's commands, each with what deciding it takes beyond the state: the caller, the time,
 * the sealed secret, and what the read models answered (AccessKeyLookups, asked about this command).
 */
export type AccessKeyCommand =
  | {
    type: 'CreateAccessKey'; data: CreateAccessKey; auth: Auth; now: string; secret: SealedSecret; keyType: string;
    /** `data.accountUuid` names an account (not deleted). */
    accountExists: boolean;
    /** Live keys of `data.accountUuid`. */
    keyCount: number;
    /** The live key (uuid) holding `data.accessKeyId`, if any. */
    accessKeyIdTakenBy?: string;
  }
  | {
    type: 'ChangeAccessKeyState'; data: ChangeAccessKeyState; auth: Auth; now: string;
    /** The account of the key in the state still exists (false when there is no key). */
    accountExists: boolean;
  }
  | {
    type: 'DeleteAccessKey'; data: { uuid: string }; auth: Auth; now: string;
    /** The account of the key in the state still exists (false when there is no key). */
    accountExists: boolean;
  };

/** The answers a command carries, as the lookups the per-command functions ask. */
const answered = (c: { accountExists: boolean; keyCount?: number; accessKeyIdTakenBy?: string }): AccessKeyLookups => ({
  accountExists: () => c.accountExists, keyCount: () => c.keyCount ?? 0, accessKeyIdTakenBy: () => c.accessKeyIdTakenBy,
});

export function decide(command: AccessKeyCommand, state: AccessKeyRecord | null): AccessKeyEvent[] {
  switch (command.type) {
    case 'CreateAccessKey':
      return decideCreateAccessKey(command.data, state, command.auth, {
        ...answered(command), secret: command.secret, keyType: command.keyType, now: command.now,
      });
    case 'ChangeAccessKeyState':
      return decideChangeAccessKeyState(command.data, state, command.auth, { ...answered(command), now: command.now });
    case 'DeleteAccessKey':
      return decideDeleteAccessKey(command.data.uuid, state, command.auth, { ...answered(command), now: command.now });
  }
}

/** The access key aggregate as one decider (a key that does not exist yet is `null`). */
export const accessKeyDecider = { decide, evolve, initialState: null as AccessKeyRecord | null };
