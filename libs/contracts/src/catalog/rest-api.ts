import { RENDER_PRECONFIGURATION_TEMPLATE } from '../baremetal/templates';
import { PLATFORM_SUBJECTS } from '../platform/platforms';
import type { Context } from '../bus';

/**
 * One declaration per route of our own JSON API under `/api/v1` (control-plane-api.md, "Common
 * rules"): synchronous JSON, `Bearer` / `OAuth` sessions or access-key signatures, errors as HTTP
 * status + `{error: {code, description, details}}`. The gateway's routes are generated from these.
 */
export interface RestRoute {
  /** The operation id (`RenderPreconfigurationTemplate`). */
  name: string;
  context: Context;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Under `/api/v1`, with `{param}`s; path params go into the payload under their names. */
  path: string;
  /** The bus subject; `<context>.cmd.*` subjects are commands (idempotent by `Idempotency-Key`). */
  subject: string;
  /** The payload key the JSON body object goes to; absent: the route takes no body. */
  bodyKey?: string;
  /** The query string parameters the route takes, each into the payload under its name; any other is a 400. */
  queryParams?: readonly string[];
  /** Body size limit in bytes, when it differs from the gateway's default. */
  maxBodyBytes?: number;
  /** How long the gateway waits for the service, when it differs from BUS_TIMEOUT_MS (network-bound routes). */
  timeoutMs?: number;
  /**
   * A paged list (`{events, next}` replies) that `Accept: application/x-ndjson` streams whole: the
   * gateway asks page after page (`after` = `next`) and writes one line per item, and stops reading
   * as soon as the client goes away.
   */
  ndjson?: boolean;
}

export const AUDIT_SUBJECTS = {
  events: 'audit.query.Events',
  history: 'audit.query.History',
  asOf: 'audit.query.AsOf',
} as const;

/** Negotiation and connection tests reach other clouds: bounded by the service (10 s by default), waited for longer. */
const REMOTE_TIMEOUT_MS = 60_000;
const PLATFORM_FILTERS = ['name', 'productType', 'status', 'healthStatus', 'scope', 'regionUuid', 'limit', 'offset'] as const;

export const REST_ROUTES: readonly RestRoute[] = [
  {
    name: 'RenderPreconfigurationTemplate', context: 'baremetal', method: 'POST', path: '/baremetal/preconfigurations/{uuid}/render',
    subject: RENDER_PRECONFIGURATION_TEMPLATE, bodyKey: 'params', maxBodyBytes: 32 * 1024 * 1024,
  },
  { name: 'CreatePlatform', context: 'platform', method: 'POST', path: '/platforms', subject: PLATFORM_SUBJECTS.create, bodyKey: 'body', timeoutMs: REMOTE_TIMEOUT_MS },
  { name: 'ListPlatforms', context: 'platform', method: 'GET', path: '/platforms', subject: PLATFORM_SUBJECTS.list, queryParams: PLATFORM_FILTERS },
  {
    name: 'TestConnectionDetailed', context: 'platform', method: 'POST', path: '/platforms/test-connection',
    subject: PLATFORM_SUBJECTS.testConnection, bodyKey: 'body', timeoutMs: REMOTE_TIMEOUT_MS,
  },
  {
    name: 'RotatePlatformKeys', context: 'platform', method: 'POST', path: '/platforms/rotate-keys',
    subject: PLATFORM_SUBJECTS.rotateKeys, timeoutMs: 600_000,
  },
  { name: 'GetPlatform', context: 'platform', method: 'GET', path: '/platforms/{uuid}', subject: PLATFORM_SUBJECTS.get },
  { name: 'UpdatePlatform', context: 'platform', method: 'PATCH', path: '/platforms/{uuid}', subject: PLATFORM_SUBJECTS.update, bodyKey: 'body', timeoutMs: REMOTE_TIMEOUT_MS },
  { name: 'DeletePlatform', context: 'platform', method: 'DELETE', path: '/platforms/{uuid}', subject: PLATFORM_SUBJECTS.delete },
  {
    name: 'TestPlatformConnection', context: 'platform', method: 'POST', path: '/platforms/{uuid}/test-connection',
    subject: PLATFORM_SUBJECTS.testStored, timeoutMs: REMOTE_TIMEOUT_MS,
  },
  {
    name: 'QueryAuditEvents', context: 'audit', method: 'GET', path: '/audit/events', subject: AUDIT_SUBJECTS.events,
    queryParams: ['resourceUuid', 'resourceType', 'eventType', 'accountUuid', 'from', 'to', 'after', 'limit'], ndjson: true,
  },
  { name: 'GetResourceHistory', context: 'audit', method: 'GET', path: '/audit/resources/{uuid}/history', subject: AUDIT_SUBJECTS.history },
  { name: 'GetResourceAsOf', context: 'audit', method: 'GET', path: '/audit/resources/{uuid}', subject: AUDIT_SUBJECTS.asOf, queryParams: ['asOf'] },
  { name: 'GetPlatformHealthHistory', context: 'platform', method: 'GET', path: '/platforms/{uuid}/health-history', subject: PLATFORM_SUBJECTS.healthHistory },
];

/** HTTP status of a ZStack error code on the `/api/v1` routes. */
export function httpStatusOf(code: string): number {
  switch (code) {
    case 'SYS.1007': return 400;
    case 'ID.1000':
    case 'ID.1001': return 401;
    case 'ID.1002':
    case 'ID.1003':
    case 'ID.1007': return 403;
    case 'SYS.1003':
    case 'SYS.1008': return 404;
    case 'SYS.1006': return 409;
    case 'SYS.1001': return 503;
    default: return 500;
  }
}
