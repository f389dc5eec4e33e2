import type { AuditEvent } from './types';

/**
 * The audit explorer's filters: kept in the URL (`/console/audit?resourceUuid=...&from=...`: uuids,
 * types and times only, never a secret), sent to QueryAuditEvents as given: the API checks them
 * and its refusal (code and text) is what the page shows. Pure (filters.unit.spec.ts).
 */
export const FILTER_KEYS = ['resourceUuid', 'resourceType', 'eventType', 'accountUuid', 'from', 'to'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
export type AuditFilter = Partial<Record<FilterKey, string>>;

/** The resource types the Audit API knows (libs/contracts AUDIT_RESOURCE_TYPES; the console imports no server code). */
export const RESOURCE_TYPES = ['Account', 'IAM2VirtualID', 'AccessKey', 'PreconfigurationTemplate', 'Platform', 'Login'] as const;

/** Events per page of the explorer. */
export const PAGE_SIZE = 50;

/** The page sizes offered (the API takes 1..1000). */
export const PAGE_SIZES = [20, 50, 100, 200, 500] as const;

/** A page size of the URL (`limit`): an integer in 1..1000, PAGE_SIZE otherwise. */
export function pageSizeOf(text: string | null): number {
  const n = text !== null && /^\d{1,4}$/.test(text) ? Number(text) : Number.NaN;
  return n >= 1 && n <= 1000 ? n : PAGE_SIZE;
}

export interface ExplorerState {
  filter: AuditFilter;
  /** Where the page starts: the previous page's `next`; null on the first page. */
  after: string | null;
  limit: number;
}

/** The filters of a URL's search params (empty values left out), the page's `after` and its size. */
export function filterOfParams(params: URLSearchParams): ExplorerState {
  const filter: AuditFilter = {};
  for (const key of FILTER_KEYS) {
    const value = params.get(key);
    if (value !== null && value !== '') filter[key] = value;
  }
  const after = params.get('after');
  return { filter, after: after === null || after === '' ? null : after, limit: pageSizeOf(params.get('limit')) };
}

/** The URL's search params of a filter (and page, and a page size other than PAGE_SIZE): only the non-empty ones. */
export function paramsOfFilter(filter: AuditFilter, after: string | null = null, limit: number = PAGE_SIZE): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = filter[key];
    if (value !== undefined && value !== '') params.set(key, value);
  }
  if (limit !== PAGE_SIZE) params.set('limit', String(limit));
  if (after) params.set('after', after);
  return params;
}

/** A filter form's drafts trimmed, empty ones dropped. */
export function cleanFilter(drafts: Partial<Record<FilterKey, string | null | undefined>>): AuditFilter {
  const filter: AuditFilter = {};
  for (const key of FILTER_KEYS) {
    const value = drafts[key]?.trim();
    if (value) filter[key] = value;
  }
  return filter;
}

/** Quick time ranges: the last hour, day, week. */
export const RECENT_RANGES = [
  { label: 'Last hour', ms: 3600_000 },
  { label: 'Last 24 hours', ms: 24 * 3600_000 },
  { label: 'Last 7 days', ms: 7 * 24 * 3600_000 },
] as const;

/** `from` for "the last `ms`" before `now`, as the API takes it (ISO-8601, UTC, to the second). */
export const recentFrom = (now: Date, ms: number): string => new Date(now.getTime() - ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The export's path: the same filter, every page (the gateway streams them all as NDJSON). */
export function exportPath(filter: AuditFilter): string {
  const query = paramsOfFilter(filter).toString();
  return `/api/v1/audit/events${query ? `?${query}` : ''}`;
}

/** The download's file name: `audit-events-<time>.ndjson` (no filter value in it: a name is not a place for data). */
export function exportFileName(now: Date): string {
  return `audit-events-${now.toISOString().replace(/[:.]/g, '-')}.ndjson`;
}

const MAX_VALUE = 40;
const MAX_SUMMARY = 140;

const shortValue = (value: unknown): string | null => {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > MAX_VALUE ? `${value.slice(0, MAX_VALUE - 1)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
};

/**
 * One line about an event's data for the table: its fields other than the uuid (already in the
 * resource column), scalars as `key=value`, objects and arrays by name only; cut at MAX_SUMMARY.
 */
export function summarizeEvent(event: Pick<AuditEvent, 'data' | 'resourceUuid'>): string {
  const data = event.data ?? {};
  const parts: string[] = [];
  for (const [key, value] of Object.entries(data)) {
    if (key === 'uuid' && value === event.resourceUuid) continue;
    const shown = shortValue(value);
    parts.push(shown === null ? `${key}: {…}` : `${key}=${shown}`);
  }
  const text = parts.join(', ');
  return text.length > MAX_SUMMARY ? `${text.slice(0, MAX_SUMMARY - 1)}…` : text;
}
