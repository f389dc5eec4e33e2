import { RestError, SIGNED_REQUEST_MAX_SKEW_MS, parseAccessKeyDate, type BusAuth } from '@cp/contracts';

/** What the credential check reads of a request. */
export interface CredentialHeaders {
  method: string;
  /** The request URL as received (path and query string). */
  url: string;
  authorization: string | undefined;
  date: string | undefined;
}

const OAUTH = 'OAuth';
const ACCESS_KEY = 'ZStack';

/**
 * ZStack's REST-layer credential parsing (RestServer.handleApi), the one place the gateway reads
 * `Authorization`. Only the shape is checked here; the session or the signature by identity-svc.
 *
 * - `OAuth <session uuid>`: a session.
 * - `ZStack <AccessKeyID>:<Signature>` with a `Date` header: a request signed with an access key. A
 *   missing or malformed `Date`, or one more than 15 minutes off, is a plain-text 403
 *   `requestTimeTooSkewed` here (ZStack answers a missing or malformed one with 400); what was signed
 *   goes to identity-svc, which verifies it.
 */
export function authFromHeaders(req: CredentialHeaders, nowMs = Date.now()): BusAuth {
  if (req.authorization === undefined) throw new RestError(400, "missing header 'Authorization'");
  const auth = req.authorization.trim();
  if (auth.startsWith(OAUTH)) return { sessionUuid: auth.slice(OAUTH.length).trim() };
  if (!auth.startsWith(ACCESS_KEY)) throw new RestError(400, "Authorization type must be 'OAuth'");
  const date = req.date;
  const at = parseAccessKeyDate(date);
  if (date === undefined || at === null || Math.abs(nowMs - at) > SIGNED_REQUEST_MAX_SKEW_MS) {
    throw new RestError(403, 'requestTimeTooSkewed');
  }
  const parts = auth.slice(ACCESS_KEY.length).trim().split(':');
  if (parts.length !== 2 || parts[0] === '' || parts[1] === '') {
    throw new RestError(400, "accessKey format is 'ZStack AccessKeyId:Signature'");
  }
  return {
    accessKey: { accessKeyId: parts[0], signature: parts[1], date, method: req.method.toUpperCase(), path: signedPath(req.url) },
  };
}

/**
 * The path a client signs, as ZStack's RestServer computes it (`getDecodedUrl`): the request path
 * without the context path `/zstack` and without the query string, percent-decoded. So
 * `/zstack/v1/accounts?q=name=x` signs as `/v1/accounts`.
 */
export function signedPath(url: string): string {
  const end = url.search(/[?#]/);
  let path = end < 0 ? url : url.slice(0, end);
  if (path.startsWith('/zstack/')) path = path.slice('/zstack'.length);
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/**
 * Whose writes a query should see (read-your-writes): the session, or the access key of a signed
 * request. Recorded only after a command succeeded, so a forged header can at most make a query wait.
 */
export const readerOf = (auth: BusAuth | undefined): string | undefined =>
  auth?.sessionUuid ?? (auth?.accessKey ? `accesskey:${auth.accessKey.accessKeyId}` : undefined);
