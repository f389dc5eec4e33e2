import type { ApiMessage } from '../api-message';
import type { Context } from '../bus';
import type { InventoryDescriptor } from '../inventory';

/**
 * Who may call an API, enforced by the service's bus pipeline before the handler runs:
 * - `none`: no credential (ZStack's @SuppressCredentialCheck: login, logout, validate session);
 * - `session`: any caller with a valid session or signature; the handler (the domain) refuses an
 *   invalid one in ZStack's order and decides per resource (its owner, or the admin);
 * - `admin`: the built-in admin only, refused before the handler runs.
 */
export type Access = 'none' | 'session' | 'admin';

export type RequestClass = new () => ApiMessage;

interface ApiBase {
  /** The API name, e.g. `CreateAccount`; also the last part of the NATS subject. */
  name: string;
  context: Context;
  /**
   * `command`: `<context>.cmd.<name>`, applied once per command id (the job protocol, idempotency);
   * `query`: `<context>.query.<name>`, answered at once, after the caller's last write is visible.
   */
  kind: 'command' | 'query';
  access: Access;
  /** The request class (class-validator, `@ApiParam`): the one validation of both wire formats and the bus. */
  request: RequestClass;
  /**
   * Dotted paths of result fields that are secrets shown once (an access key's secret): the job
   * record keeps them sealed with the service's master key, opened only for the job's owner.
   */
  secretResultFields?: readonly string[];
  /**
   * A login (a password checked, a session made): the gateway limits these per source address
   * (RATE_LIMIT_LOGIN_PER_MIN) and passes the address to identity-svc for its lockout (docs/limits.md).
   */
  login?: true;
}

/** A ZStack API under `/zstack/v1` (zstack-wire.md): commands answer through the job protocol. */
export interface ZStackApiEntry extends ApiBase {
  wire: 'zstack';
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Paths under `/zstack/v1` (ZStack's `/v1` + path); the first is canonical, the rest are optionalPaths. */
  paths: readonly string[];
  /** The body key for POST/PUT (`params`, or the action name such as `updateAccount`). */
  bodyKey?: string;
  /** A query API: the query string is parsed by libs/query and `inventories` come back. */
  query?: boolean;
  /** The inventory of `inventory` / `inventories[i]` in the result, for `schema` and timestamps. */
  result?: InventoryDescriptor;
  /** Body size limit in bytes, when it differs from the gateway's default. */
  maxBodyBytes?: number;
}

/**
 * A route of our own JSON API under `/api/v1` (control-plane-api.md, "Common rules"): synchronous
 * JSON, `Bearer` sessions or access-key signatures, errors as HTTP status + `{error}`. The payload is
 * the path params, the query parameters (the request class's fields that are neither path params nor
 * the body key: `queryParamsOf`) and the JSON body under the body key.
 */
export interface RestApiEntry extends ApiBase {
  wire: 'rest';
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Under `/api/v1`, with `{param}`s; path params go into the payload under their names. */
  path: string;
  /** The payload key the JSON body object goes to; absent: the route takes no body. */
  bodyKey?: string;
  /** Body size limit in bytes, when it differs from the gateway's default. */
  maxBodyBytes?: number;
  /** How long the gateway waits for the service, when it differs from BUS_TIMEOUT_MS (network-bound routes). */
  timeoutMs?: number;
  /**
   * A paged list (`{events, next}` replies) that `Accept: application/x-ndjson` streams whole: the
   * gateway asks page after page (`after` = `next`) and writes one line per item.
   */
  ndjson?: boolean;
}

/** An API of the NATS bus only (health, the caller lookup, the operators' read-model tools). */
export interface BusApiEntry extends ApiBase {
  wire: 'bus';
}

export type ApiEntry = ZStackApiEntry | RestApiEntry | BusApiEntry;

