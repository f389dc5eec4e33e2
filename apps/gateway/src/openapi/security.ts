import type { Access } from '@cp/contracts';

/**
 * The credentials the gateway reads (zstack/auth-header.ts, rest-api/rest-auth.ts) as OpenAPI security
 * schemes. The credential is checked by identity-svc; which callers an API serves is its `access`.
 */
export const SESSION = 'OAuthSession';
export const ACCESS_KEY = 'AccessKeySignature';
export const BEARER = 'BearerSession';

/** The schemes of one wire: the signed path is `/v1<path>` on the ZStack routes, the full `/api/v1<path>` on ours; `Bearer` on ours only. */
export function securitySchemes(wire: 'zstack' | 'rest'): Record<string, unknown> {
  const signedPath =
    wire === 'zstack'
      ? '/v1<path> (the request path without `/zstack` and without the query string)'
      : '/api/v1<path> (the full request path, without the query string)';
  const schemes: Record<string, unknown> = {
    [SESSION]: {
      type: 'apiKey',
      in: 'header',
      name: 'Authorization',
      description:
        'A session from LogInByAccount, LogIn or LoginIAM2VirtualID: `Authorization: OAuth <session uuid>` (the value to enter is `OAuth <session uuid>`).',
    },
    [ACCESS_KEY]: {
      type: 'apiKey',
      in: 'header',
      name: 'Authorization',
      description:
        'A request signed with an access key (CreateAccessKey): `Authorization: ZStack <AccessKeyID>:<Signature>` with a ' +
        "`Date` header (`EEE, dd MMM yyyy HH:mm:ss z`, within 15 minutes of the server's clock, else 403 `requestTimeTooSkewed`). " +
        `Signature = base64(HMAC-SHA1(secret, "METHOD\\nDATE\\n${signedPath}")).`,
    },
  };
  if (wire === 'rest') {
    schemes[BEARER] = { type: 'http', scheme: 'bearer', description: 'A session uuid: `Authorization: Bearer <session uuid>`.' };
  }
  return schemes;
}

/** Who may call, in words (the registry's `Access`). */
export const ACCESS_TEXT: Record<Access, string> = {
  none: 'No credential needed.',
  session: 'Needs a session or an access-key signature; the service decides per resource (its owner, or the admin).',
  admin: 'The built-in admin only (ID.1002 for any other caller).',
};

/** The security requirement of an API: none, or one of the wire's credentials. */
export function securityOf(access: Access, wire: 'zstack' | 'rest'): Array<Record<string, string[]>> {
  if (access === 'none') return [];
  return [...(wire === 'rest' ? [{ [BEARER]: [] }] : []), { [SESSION]: [] }, { [ACCESS_KEY]: [] }];
}
