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
  },
  clear(): void {
    sessionStorage.removeItem(KEY);
  },
};
