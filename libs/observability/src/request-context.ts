import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/**
 * What is known of the request being handled, wherever in its async flow the code runs: its id
 * (the correlation id of its log lines, bus messages and events) and, once resolved, the caller.
 */
export interface RequestContext {
  requestId: string;
  accountUuid?: string | null;
}

/** The HTTP header, and the NATS header, that carry a request's id. */
export const REQUEST_ID_HEADER = 'X-Request-Id';

/** What a client may send as its request id: printable, no spaces, at most 128 characters. */
const ACCEPTED_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

const storage = new AsyncLocalStorage<RequestContext>();

/** The id a client sent, when it is one we accept (it ends up in logs, headers and events). */
export function acceptedRequestId(sent: unknown): string | undefined {
  const value = Array.isArray(sent) ? (sent as unknown[])[0] : sent;
  return typeof value === 'string' && ACCEPTED_ID.test(value) ? value : undefined;
}

/** The client's id when we accept it, else a fresh UUID. */
export function requestIdFrom(sent: unknown): string {
  return acceptedRequestId(sent) ?? randomUUID();
}

/** Runs `fn` (and everything it starts) as part of the request `context`. */
export function withRequest<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** The request being handled here, if any. */
export function currentRequest(): RequestContext | undefined {
  return storage.getStore();
}

/** Notes who the caller of the current request turned out to be (for its log line). */
export function noteRequestCaller(accountUuid: string | null | undefined): void {
  const context = storage.getStore();
  if (context && accountUuid) context.accountUuid = accountUuid;
}
