import { RestError, type BusAuth } from '@cp/contracts';

/** ZStack's REST-layer credential parsing: only the header's shape is checked here; the session itself by identity-svc. */
export function authFromHeaders(authorization: string | undefined): BusAuth {
  if (authorization === undefined) throw new RestError(400, "missing header 'Authorization'");
  if (!authorization.startsWith('OAuth')) throw new RestError(400, "Authorization type must be 'OAuth'");
  return { sessionUuid: authorization.slice('OAuth'.length).trim() };
}

