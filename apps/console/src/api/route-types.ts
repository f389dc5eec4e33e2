/** Who may call an API (the registry's `access`): no credential, any session, the built-in admin only. */
export type Access = 'none' | 'session' | 'admin';

/** A ZStack API under `/zstack/v1`: the first path is canonical, the others take more path params. */
export interface ZStackRoute {
  wire: 'zstack';
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  paths: readonly string[];
  /** The key the body goes under for POST/PUT (`params`, `logInByAccount`...). */
  bodyKey?: string;
  /** A query API: `q=` conditions, limit, start, count; `inventories` come back. */
  query: boolean;
  kind: 'command' | 'query';
  access: Access;
}

/** A route of our own JSON API under `/api/v1`. */
export interface RestRoute {
  wire: 'rest';
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  /** The payload key whose value is the JSON body. */
  bodyKey?: string;
  /** The payload keys sent as query string parameters. */
  query: readonly string[];
  kind: 'command' | 'query';
  access: Access;
}

export type ApiRoute = ZStackRoute | RestRoute;
