import type { ApiClient } from '../../api/client';

/** One event of the Audit API (control-plane-api.md, "Audit"). */
export interface AuditEvent {
  position: string;
  streamId: string;
  resourceType: string;
  resourceUuid: string;
  type: string;
  occurredAt: string;
  actor: { accountUuid: string | null; via?: string } | null;
  commandId?: string;
  data?: Record<string, unknown>;
}

/** Looked back over these windows in turn until enough events are found (the Audit API pages forward, in log order). */
const WINDOWS_MS = [5 * 60_000, 3600_000, 24 * 3600_000, 30 * 24 * 3600_000];
const PAGE = 1000;
/** At most this many pages read per window: a busier window shows the newest of what was read, and says so. */
const MAX_PAGES = 5;

export interface NewestEvents {
  events: AuditEvent[];
  /** The window looked back over. */
  windowMs: number;
  /** More events than MAX_PAGES pages in the window: the list is not the newest. */
  truncated: boolean;
}

/**
 * The newest `count` events the caller may see: QueryAuditEvents answers in log order from `from`,
 * so the console asks for the last minutes first and widens the window until it has `count` events,
 * paging with `after` (the reply's `next`) within a window.
 */
export async function newestAuditEvents(api: ApiClient, count: number, now: number, signal?: AbortSignal): Promise<NewestEvents> {
  let last: NewestEvents = { events: [], windowMs: WINDOWS_MS[0], truncated: false };
  for (const windowMs of WINDOWS_MS) {
    const from = new Date(now - windowMs).toISOString();
    const events: AuditEvent[] = [];
    let after: string | undefined;
    let pages = 0;
    let truncated = false;
    for (;;) {
      const reply = await api.call<'QueryAuditEvents', { events: AuditEvent[]; next?: string | null }>(
        'QueryAuditEvents', { from, limit: String(PAGE), ...(after ? { after } : {}) }, { signal },
      );
      events.push(...reply.events);
      pages++;
      if (reply.events.length < PAGE || !reply.next) break;
      if (pages >= MAX_PAGES) {
        truncated = true;
        break;
      }
      after = reply.next;
    }
    last = { events: events.slice(-count).reverse(), windowMs, truncated };
    if (events.length >= count || truncated) return last;
  }
  return last;
}
