import { UUID_HEX32, invalidArgument } from '@cp/contracts';
import { AUDITED_CATEGORIES } from './resource-kinds';

/** The filters of `GET /api/v1/audit/events` (control-plane-api.md, "Audit"), checked one by one. */
export interface EventFilter {
  resourceUuid?: string;
  resourceType?: string;
  eventType?: string;
  accountUuid?: string;
  from?: Date;
  to?: Date;
  /** Exclusive log position. */
  after?: bigint;
  limit: number;
}

export type AsOf = { position: bigint } | { time: Date };

const KNOWN = ['resourceUuid', 'resourceType', 'eventType', 'accountUuid', 'from', 'to', 'after', 'limit'];
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const POSITION = /^\d{1,19}$/;
export const MAX_LIMIT = 1000;

type Query = Record<string, unknown>;

function text(q: Query, name: string): string | undefined {
  const v = q[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw invalidArgument(`query parameter[${name}] must be given once, as text`);
  return v;
}

export function parseTime(value: string, name: string): Date {
  const at = ISO_TIME.test(value) ? new Date(value) : new Date(NaN);
  if (Number.isNaN(at.getTime())) throw invalidArgument(`query parameter[${name}] must be an ISO-8601 time such as 2026-01-15T08:00:00Z`);
  return at;
}

export function parsePosition(value: string, name: string): bigint {
  if (!POSITION.test(value)) throw invalidArgument(`query parameter[${name}] must be a log position: a decimal number`);
  return BigInt(value);
}

export function parseEventFilter(query: unknown): EventFilter {
  const q = (query ?? {}) as Query;
  for (const key of Object.keys(q)) {
    if (!KNOWN.includes(key)) throw invalidArgument(`unknown query parameter[${key.slice(0, 100)}]; known: ${KNOWN.join(', ')}`);
  }
  const filter: EventFilter = { limit: 100 };
  const resourceUuid = text(q, 'resourceUuid');
  if (resourceUuid !== undefined) {
    if (!UUID_HEX32.test(resourceUuid)) throw invalidArgument('query parameter[resourceUuid] must be a uuid of 32 lowercase hex digits');
    filter.resourceUuid = resourceUuid;
  }
  const resourceType = text(q, 'resourceType');
  if (resourceType !== undefined) {
    const types = AUDITED_CATEGORIES.map((k) => k.resourceType);
    if (!types.includes(resourceType)) throw invalidArgument(`query parameter[resourceType] must be one of [${types.join(', ')}]`);
    filter.resourceType = resourceType;
  }
  const eventType = text(q, 'eventType');
  if (eventType !== undefined) {
    if (!/^[A-Za-z][A-Za-z0-9]{0,127}$/.test(eventType)) throw invalidArgument('query parameter[eventType] must be an event type name such as AccountCreated');
    filter.eventType = eventType;
  }
  const accountUuid = text(q, 'accountUuid');
  if (accountUuid !== undefined) {
    if (!UUID_HEX32.test(accountUuid)) throw invalidArgument('query parameter[accountUuid] must be a uuid of 32 lowercase hex digits');
    filter.accountUuid = accountUuid;
  }
  const from = text(q, 'from');
  if (from !== undefined) filter.from = parseTime(from, 'from');
  const to = text(q, 'to');
  if (to !== undefined) filter.to = parseTime(to, 'to');
  if (filter.from && filter.to && filter.from > filter.to) throw invalidArgument('query parameter[from] must not be after [to]');
  const after = text(q, 'after');
  if (after !== undefined) filter.after = parsePosition(after, 'after');
  const limit = text(q, 'limit');
  if (limit !== undefined) {
    if (!/^\d{1,4}$/.test(limit) || Number(limit) < 1 || Number(limit) > MAX_LIMIT) {
      throw invalidArgument(`query parameter[limit] must be an integer in 1..${MAX_LIMIT}`);
    }
    filter.limit = Number(limit);
  }
  return filter;
}

/** `asOf`: a log position (inclusive) or an ISO-8601 time. */
export function parseAsOf(value: unknown): AsOf | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalidArgument('query parameter[asOf] must be given once');
  return POSITION.test(value) ? { position: BigInt(value) } : { time: parseTime(value, 'asOf') };
}

/** The `{uuid}` of a resource path. */
export function uuidOf(payload: unknown): string {
  const uuid = (payload as { uuid?: unknown })?.uuid;
  if (typeof uuid !== 'string' || !/^[0-9a-f]{32}$/.test(uuid)) throw invalidArgument('the resource uuid must be 32 lowercase hex digits');
  return uuid;
}
