import type { ErrorBody } from './errors';

/**
 * The NATS bus contract (docs/nats-bus.md). These are the bytes on the wire: JSON, UTF-8,
 * request/reply on `<context>.cmd.<CommandName>` and `<context>.query.<QueryName>`.
 */

export const CONTEXTS = ['identity', 'baremetal', 'platform', 'audit'] as const;
export type Context = (typeof CONTEXTS)[number];

/**
 * THE subject rule: a command is `<context>.cmd.<Name>`, a query `<context>.query.<Name>` (every API
 * of the registry, and the transport's own ReadJob).
 */
export const subjectOf = (api: { context: Context; kind: 'command' | 'query'; name: string }) =>
  `${api.context}.${api.kind === 'command' ? 'cmd' : 'query'}.${api.name}`;

/** Every service answers `<context>.query.Health` with `{ok: true, result: {status, position}}`. */
export const healthSubject = (context: Context) => subjectOf({ context, kind: 'query', name: 'Health' });
/**
 * identity-svc resolves the caller of a request for every other service: the request's `auth` in,
 * `{caller: {accountUuid, userUuid, userType?}}` out, or the ZStack error of an invalid session or
 * signature. The session slides on the way, as for identity's own APIs.
 */
export const AUTHENTICATE_SUBJECT = subjectOf({ context: 'identity', kind: 'query', name: 'Authenticate' });
/**
 * Every service answers `<context>.query.ReadJob` (`payload: {jobId}`) with a job's outcome, its
 * sealed secrets opened, when the request's `auth` is the job's owner: the gateway's poll of a job
 * whose outcome holds a secret shown once (CreateAccessKey).
 */
export const readJobSubject = (context: Context) => subjectOf({ context, kind: 'query', name: 'ReadJob' });

/** The queue group a context's replicas share. */
export const queueGroup = (context: Context) => `${context}-svc`;

export interface BusAuth {
  /** A session from LogInByAccount. */
  sessionUuid?: string;
  /**
   * A request signed with an access key (`Authorization: ZStack <AccessKeyID>:<Signature>` over REST):
   * what was signed, as received. The service verifies it; see `accessKeyStringToSign`.
   */
  accessKey?: BusAccessKeyAuth;
}

export interface BusAccessKeyAuth {
  accessKeyId: string;
  /** base64(HmacSHA1(secret, `METHOD\nDATE\n/v1<path>`)). */
  signature: string;
  /** The `Date` header's text, exactly as sent. */
  date: string;
  /** The HTTP method, upper case. */
  method: string;
  /** `/v1<path>`: the request path without `/zstack` and the query string, percent-decoded. */
  path: string;
}

export interface BusRequest<P = Record<string, unknown>> {
  /** 32 lowercase hex. For commands: the idempotency key (a repeat returns the first outcome). */
  commandId: string;
  correlationId?: string;
  auth?: BusAuth;
  payload: P;
  /**
   * Read-your-writes: a query waits (bounded) until the service's read model has applied this log
   * position (a string, as returned in a command's reply).
   */
  minPosition?: string;
  /** Who relays the call: the gateway says `rest`; anything else is `nats`. Recorded in event metadata. */
  via?: 'rest' | 'nats';
  /**
   * The HTTP client's address as the gateway saw it (the TCP peer, or X-Forwarded-For from a trusted
   * proxy: TRUST_PROXY), set by the gateway only (`via: 'rest'`). identity-svc counts failed logins per
   * name and address with it (docs/limits.md, "Trust"); a request without it counts as from the bus.
   */
  clientAddress?: string;
}

/** A reply; `account` is the caller's account as the service resolved it (for the sender's request log). */
export type BusReply<R = unknown> =
  | { ok: true; result: R; position?: string; account?: string }
  | { ok: false; error: ErrorBody; duplicateJob?: true; account?: string };

export const UUID_HEX32 = /^[0-9a-f]{32}$/;
/** ZStack's rule for a user-supplied resourceUuid: a v1-5 UUID with the dashes removed. */
export const RESOURCE_UUID = /^[0-9a-f]{8}[0-9a-f]{4}[1-5][0-9a-f]{3}[89ab][0-9a-f]{3}[0-9a-f]{12}$/;
