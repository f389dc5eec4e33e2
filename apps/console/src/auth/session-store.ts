import { ADMIN_ACCOUNT_UUID } from '../api/routes.generated';

/** Who is logged in: the session and the caller it stands for. */
export interface Session {
  uuid: string;
  accountUuid: string;
  userUuid: string;
  /** The name typed at login (the account's, or the virtual ID's). */
  name: string;
  /** How the caller logged in. */
  kind: 'account' | 'virtualId';
  expiredDate?: string;
}

const KEY = 'cp.console.session';
/** Why the last session ended, when it was not a logout: kept until the next login, so a reload still says it. */
const ENDED_KEY = 'cp.console.ended';

/** The built-in admin: ZStack's admin account uuid as both the account and the user (libs/contracts isAdmin). */
export const isAdminSession = (session: Session | null): boolean =>
  session !== null && session.accountUuid === ADMIN_ACCOUNT_UUID && session.userUuid === ADMIN_ACCOUNT_UUID;

/**
 * The session, in memory and in this tab's sessionStorage (it survives a reload, not the tab; never
 * localStorage, never a URL or a cookie: it travels only as the Authorization header).
 */
export const sessionStore = {
  load(): Session | null {
    try {
      const text = sessionStorage.getItem(KEY);
      const value = text ? (JSON.parse(text) as Session) : null;
      return value && typeof value.uuid === 'string' && typeof value.accountUuid === 'string' ? value : null;
    } catch {
      return null;
    }
  },
  save(session: Session): void {
    sessionStorage.setItem(KEY, JSON.stringify(session));
    sessionStorage.removeItem(ENDED_KEY);
  },
  /** The session is over: `reason` (null for a logout) is what the login page says, until the next login. */
  end(reason: string | null): void {
    sessionStorage.removeItem(KEY);
    if (reason) sessionStorage.setItem(ENDED_KEY, reason);
    else sessionStorage.removeItem(ENDED_KEY);
  },
  endedBecause(): string | null {
    try {
      return sessionStorage.getItem(ENDED_KEY);
    } catch {
      return null;
    }
  },
};
