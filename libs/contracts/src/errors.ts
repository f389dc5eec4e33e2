/**
 * ZStack's error codes (zstack header SysErrors / IdentityErrors with the descriptions of
 * conf/errorCodes/*.xml) and the one error type every layer throws and every edge maps.
 */

/**
 * Each code: its description (the wire's `description`), and the HTTP status our own `/api/v1`
 * routes answer with (control-plane-api.md, "Errors"). ZStack's routes answer 503 for every failed
 * API (zstack-wire.md), so the status here is `/api/v1`'s only.
 */
export const ERROR_CODES = {
  'SYS.1000': { description: 'An internal error happened in system', httpStatus: 500 },
  'SYS.1001': { description: 'A message or a operation timeout', httpStatus: 503 },
  'SYS.1002': { description: 'Unable to create a resource', httpStatus: 500 },
  'SYS.1003': { description: 'A resource can not be found', httpStatus: 404 },
  'SYS.1004': { description: 'Unable to delete a resource', httpStatus: 500 },
  'SYS.1005': { description: 'Unable to change resource state', httpStatus: 500 },
  'SYS.1006': { description: 'An operation failed', httpStatus: 409 },
  'SYS.1007': { description: 'One or more API argument is invalid', httpStatus: 400 },
  'SYS.1008': { description: 'Unknown message, no service can deal with the message', httpStatus: 404 },
  // Ours (ZStack has no code for it: [zv]'s RateLimiter answers a bare 429): a client over a rate or
  // concurrency limit of the gateway (docs/limits.md). Transient, unlike SYS.1019/ID.1003 (denied, quota).
  'SYS.1429': { description: 'Too many requests: the client exceeded a rate or concurrency limit', httpStatus: 429 },
  'ID.1000': { description: 'Unable to authenticate a user', httpStatus: 401 },
  'ID.1001': { description: 'The session is invalid, either wrong session id or the session has been expired', httpStatus: 401 },
  'ID.1002': { description: "The user doesn't have permission to perform the operation", httpStatus: 403 },
  'ID.1003': { description: 'The user exceeds a quota of a resource', httpStatus: 403 },
  'ID.1006': { description: 'Max number of active sessions exceeded', httpStatus: 500 },
  'ID.1007': { description: 'The user is disabled', httpStatus: 403 },
} as const;

export type ErrorCodeName = keyof typeof ERROR_CODES;

/** The HTTP status of an error code on the `/api/v1` routes. */
export const httpStatusOf = (code: string): number => (code in ERROR_CODES ? ERROR_CODES[code as ErrorCodeName].httpStatus : 500);


/** The wire form: `{"error": ErrorBody}`. */
export interface ErrorBody {
  code: string;
  description: string;
  details: string;
}

const MAX_DETAILS = 4096;

/** A ZStack-coded failure. Thrown by the domain and services, carried on the bus, rendered at the edge. */
export class ZStackError extends Error {
  constructor(
    readonly code: ErrorCodeName,
    readonly details: string,
  ) {
    super(`${code}: ${details}`);
    this.name = 'ZStackError';
  }

  toBody(): ErrorBody {
    return { code: this.code, description: ERROR_CODES[this.code].description, details: this.details.slice(0, MAX_DETAILS) };
  }

  static fromBody(body: ErrorBody): ZStackError {
    const code = (body.code in ERROR_CODES ? body.code : 'SYS.1000') as ErrorCodeName;
    return new ZStackError(code, body.details);
  }
}

export const invalidArgument = (details: string) => new ZStackError('SYS.1007', details);
export const notFound = (details: string) => new ZStackError('SYS.1003', details);
export const operationError = (details: string) => new ZStackError('SYS.1006', details);
export const permissionDenied = (details: string) => new ZStackError('ID.1002', details);
export const invalidSession = (details = 'Session expired') => new ZStackError('ID.1001', details);
export const authenticationError = (details: string) => new ZStackError('ID.1000', details);
export const timeoutError = (details: string) => new ZStackError('SYS.1001', details);
export const internalError = (details: string) => new ZStackError('SYS.1000', details);
export const tooManyRequests = (details: string) => new ZStackError('SYS.1429', details);

/** A failure of the REST layer itself: answered at once with a plain-text body, as ZStack's RestException. */
export class RestError extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 405 | 413 | 429,
    message: string,
  ) {
    super(message);
    this.name = 'RestError';
  }
}
