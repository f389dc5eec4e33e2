import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { ApiClient } from '../api/client';
import { isSessionInvalid, type ApiError } from '../api/errors';
import { ROUTES } from '../api/routes.generated';
import type { ApiName } from '../api/client';
import { ADMIN_ONLY_APIS } from './admin-only';
import { hashPassword } from './password';
import { isAdminSession, sessionStore, type Session } from './session-store';

interface SessionContextValue {
  session: Session | null;
  api: ApiClient;
  /** Why the last session ended when it was not a logout (an expired session, say): shown on the login page, a reload too. */
  endedBecause: string | null;
  login(kind: Session['kind'], name: string, password: string): Promise<void>;
  logout(): Promise<void>;
}

const SessionContext = createContext<SessionContextValue | null>(null);

interface SessionInventory {
  uuid: string;
  accountUuid: string;
  userUuid: string;
  expiredDate?: string;
}

/** The session's state and the one API client of the page, which sends its uuid and drops it when a reply says it is invalid. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(() => sessionStore.load());
  const [endedBecause, setEndedBecause] = useState<string | null>(() => sessionStore.endedBecause());
  const current = useRef<Session | null>(session);
  current.current = session;

  const end = useCallback((reason: string | null) => {
    sessionStore.end(reason);
    current.current = null;
    setSession(null);
    setEndedBecause(reason);
  }, []);

  const api = useMemo(() => new ApiClient({
    session: () => current.current?.uuid ?? null,
    onSessionInvalid: (error: ApiError) => end(`${error.code}: ${error.details || error.description}`),
  }), [end]);

  // A session restored from sessionStorage (a reload) is checked once: it may have expired or been ended meanwhile.
  const restored = useRef(session?.uuid ?? null);
  useEffect(() => {
    const uuid = restored.current;
    restored.current = null;
    if (!uuid) return;
    api.call<'ValidateSession', { valid?: boolean }>('ValidateSession', { sessionUuid: uuid }).then(
      (reply) => {
        if (reply.valid === false && current.current?.uuid === uuid) end('ID.1001: the session expired or was ended; log in again');
      },
      // Unreachable now: the pages will show it, and a dead session is caught on their first call.
      () => undefined,
    );
  }, [api, end]);

  const login = useCallback(async (kind: Session['kind'], name: string, password: string) => {
    const hashed = await hashPassword(password);
    const reply = kind === 'account'
      ? await api.call<'LogInByAccount', { inventory: SessionInventory }>('LogInByAccount', { accountName: name, password: hashed })
      : await api.call<'LoginIAM2VirtualID', { inventory: SessionInventory }>('LoginIAM2VirtualID', { name, password: hashed });
    const inventory = reply.inventory;
    const next: Session = {
      uuid: inventory.uuid, accountUuid: inventory.accountUuid, userUuid: inventory.userUuid, name, kind,
      ...(inventory.expiredDate ? { expiredDate: inventory.expiredDate } : {}),
    };
    sessionStore.save(next);
    current.current = next;
    setEndedBecause(null);
    setSession(next);
  }, [api]);

  const logout = useCallback(async () => {
    const uuid = current.current?.uuid;
    try {
      if (uuid) await api.call('LogOut', { sessionUuid: uuid });
    } catch (error) {
      // An already-invalid session is logged out anyway; anything else is still a logout here.
      if (!isSessionInvalid(error)) console.warn('logout failed', error);
    } finally {
      end(null);
    }
  }, [api, end]);

  const value = useMemo(() => ({ session, api, endedBecause, login, logout }), [session, api, endedBecause, login, logout]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The API client of the page. */
export const useApi = (): ApiClient => useSession().api;

export interface Permissions {
  isAdmin: boolean;
  /** Whether the caller may call the API: its registry `access`, and the admin-only APIs (admin-only.ts) for the admin only. */
  can(name: ApiName): boolean;
}

/**
 * What the caller may do: the registry's `access` of each API (`none`, `session`, `admin`), and the
 * APIs whose handlers refuse anyone but the admin (ADMIN_ONLY_APIS): hidden from normal accounts.
 */
export function usePermissions(): Permissions {
  const { session } = useSession();
  return useMemo(() => {
    const isAdmin = isAdminSession(session);
    return {
      isAdmin,
      can: (name: ApiName) => {
        const access: string = ROUTES[name].access;
        if (access === 'none') return true;
        if (!session) return false;
        return access === 'admin' || ADMIN_ONLY_APIS.has(name) ? isAdmin : true;
      },
    };
  }, [session]);
}
