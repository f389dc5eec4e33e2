import { randomUUID } from 'node:crypto';

/**
 * What is known of the request being handled: its id (the correlation id of its log lines, bus
 * messages and events) and, once resolved, the caller. Passed along explicitly, not through
 * AsyncLocalStorage: on Node 20 an async context costs every promise of the process a hook.
 */
export interface RequestContext {
  requestId: string;
  accountUuid?: string | null;
}

/** The HTTP header, and the NATS header, that carry a request's id. */
export const REQUEST_ID_HEADER = 'X-Request-Id';

/** What a client may send as its request id: printable, no spaces, at most 128 characters. */
const ACCEPTED_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/** The id a client sent, when it is one we accept (it ends up in logs, headers and events). */
export function acceptedRequestId(sent: unknown): string | undefined {
  const value = Array.isArray(sent) ? (sent as unknown[])[0] : sent;
  return typeof value === 'string' && ACCEPTED_ID.test(value) ? value : undefined;
}

/** The client's id when we accept it, else a fresh UUID. */
export function requestIdFrom(sent: unknown): string {
  return acceptedRequestId(sent) ?? randomUUID();
}
