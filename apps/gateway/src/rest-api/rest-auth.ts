import { RestError, invalidSession, type BusAuth, type ZStackError } from '@cp/contracts';
import { authFromHeaders, type CredentialHeaders } from '../zstack/auth-header';

/**
 * The credential of an `/api/v1` request: `Bearer <session>` or `OAuth <session>`, or a ZStack
 * access-key signature (checked as on the ZStack routes). Anything missing or malformed is the
 * API's 401 (ID.1001) rather than ZStack's plain-text REST errors; identity-svc checks the rest.
 */
export function restAuthFromHeaders(req: CredentialHeaders, nowMs = Date.now()): BusAuth | ZStackError {
  const given = req.authorization?.trim();
  if (!given) return invalidSession("missing header 'Authorization': send 'Bearer <session uuid>'");
  if (/^Bearer\s/i.test(given)) return { sessionUuid: given.slice('Bearer'.length).trim() };
  try {
    return authFromHeaders(req, nowMs);
  } catch (error) {
    if (error instanceof RestError) return invalidSession(`${error.message}; send 'Bearer <session uuid>'`);
    throw error;
  }
}
