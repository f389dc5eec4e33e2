/**
 * ZStack's error codes (zstack header SysErrors / IdentityErrors with the descriptions of
 * conf/errorCodes/*.xml) and the one error type every layer throws and every edge maps.
 */

export const ERROR_DESCRIPTIONS = {
  'SYS.1000': 'An internal error happened in system',
  'SYS.1001': 'A message or a operation timeout',
  'SYS.1002': 'Unable to create a resource',
  'SYS.1003': 'A resource can not be found',
  'SYS.1004': 'Unable to delete a resource',
  'SYS.1005': 'Unable to change resource state',
  'SYS.1006': 'An operation failed',
  'SYS.1007': 'One or more API argument is invalid',
  'SYS.1008': 'Unknown message, no service can deal with the message',
  'ID.1000': 'Unable to authenticate a user',
  'ID.1001': 'The session is invalid, either wrong session id or the session has been expired',
  'ID.1002': "The user doesn't have permission to perform the operation",
  'ID.1003': 'The user exceeds a quota of a resource',
  'ID.1006': 'Max number of active sessions exceeded',
  'ID.1007': 'The user is disabled',
} as const;

export type ErrorCodeName = keyof typeof ERROR_DESCRIPTIONS;

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
    return { code: this.code, description: ERROR_DESCRIPTIONS[this.code], details: this.details.slice(0, MAX_DETAILS) };
  }

  static fromBody(body: ErrorBody): ZStackError {
    const code = (body.code in ERROR_DESCRIPTIONS ? body.code : 'SYS.1000') as ErrorCodeName;
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
