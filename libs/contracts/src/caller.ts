import { ADMIN_ACCOUNT_UUID } from './identity/inventories';
import { permissionDenied, type ZStackError } from './errors';

/**
 * Who is calling: an account, or an IAM2 virtual ID acting within the account that owns it
 * (`userUuid` is then the virtual ID and `userType` says so). identity-svc resolves it from a
 * session or a signed request; the other services ask it (AUTHENTICATE_SUBJECT).
 */
export interface Caller {
  accountUuid: string;
  userUuid: string;
  userType?: 'IAM2VirtualID';
}

/** The session check's outcome: callers are resolved outside, but rejected by the domain, in ZStack's order. */
export type Auth = { ok: true; caller: Caller } | { ok: false; error: ZStackError };

/**
 * ZStack's AccountConstant.isAdminPermission: the built-in admin itself. A virtual ID the admin
 * created acts within the admin account but is not the admin.
 */
export const isAdmin = (caller: Caller) => caller.accountUuid === ADMIN_ACCOUNT_UUID && caller.userUuid === ADMIN_ACCOUNT_UUID;

/** The caller, or the session's error (thrown in ZStack's order: after resource checks). */
export const requireSession = (auth: Auth): Caller => {
  if (!auth.ok) throw auth.error;
  return auth.caller;
};

/** ID.1002 for anyone but the built-in admin, with ZStack's text naming the API message class. */
export const adminOnly = (caller: Caller, api: string) => {
  if (!isAdmin(caller)) {
    throw permissionDenied(`request api[name: ${api}] is admin only, can not be executed by current user`);
  }
};
