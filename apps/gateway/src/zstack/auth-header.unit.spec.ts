import { RestError } from '@cp/contracts';
import { authFromHeaders, readerOf, signedPath } from './auth-header';

const NOW = Date.parse('2026-11-28T13:00:00Z');
const DATE = 'Sat, 28 Nov 2026 13:00:00 GMT';
/** `date` null: no Date header. */
const req = (authorization: string | undefined, date: string | null = DATE, url = '/zstack/v1/accounts?q=name=x') =>
  ({ method: 'get', url, authorization, date: date ?? undefined });

function rest(fn: () => unknown): { status: number; text: string } {
  try {
    fn();
  } catch (error) {
    if (error instanceof RestError) return { status: error.status, text: error.message };
    throw error;
  }
  throw new Error('expected a RestError');
}

describe('Authorization', () => {
  it('reads a session', () => {
    expect(authFromHeaders(req('OAuth 0123456789abcdef0123456789abcdef', null), NOW)).toEqual({ sessionUuid: '0123456789abcdef0123456789abcdef' });
  });

  it('reads a signed request: what was signed goes to the service', () => {
    expect(authFromHeaders(req('  ZStack AKID0000000001:c2lnbmF0dXJlMDEyMzQ1Njc4OTA=  '), NOW)).toEqual({
      accessKey: { accessKeyId: 'AKID0000000001', signature: 'c2lnbmF0dXJlMDEyMzQ1Njc4OTA=', date: DATE, method: 'GET', path: '/v1/accounts' },
    });
  });

  it.each([
    ['no header', undefined, DATE, 400, "missing header 'Authorization'"],
    ['another scheme', 'Basic YWRtaW46cGFzc3dvcmQ=', DATE, 400, "Authorization type must be 'OAuth'"],
    ['no Date', 'ZStack AKID:sig', null, 403, 'requestTimeTooSkewed'],
    ['a malformed Date', 'ZStack AKID:sig', '28/11/2026 13:00', 403, 'requestTimeTooSkewed'],
    ['a Date 16 minutes early', 'ZStack AKID:sig', 'Sat, 28 Nov 2026 12:44:00 GMT', 403, 'requestTimeTooSkewed'],
    ['a Date 16 minutes late', 'ZStack AKID:sig', 'Sat, 28 Nov 2026 13:16:00 GMT', 403, 'requestTimeTooSkewed'],
    ['no signature', 'ZStack AKID', DATE, 400, "accessKey format is 'ZStack AccessKeyId:Signature'"],
    ['an empty signature', 'ZStack AKID:', DATE, 400, "accessKey format is 'ZStack AccessKeyId:Signature'"],
    ['two colons', 'ZStack AKID:a:b', DATE, 400, "accessKey format is 'ZStack AccessKeyId:Signature'"],
  ])('refuses %s', (_what, authorization, date, status, text) => {
    expect(rest(() => authFromHeaders(req(authorization, date), NOW))).toEqual({ status, text });
  });

  it('accepts a Date up to 15 minutes off', () => {
    expect(authFromHeaders(req('ZStack AKID:sig', 'Sat, 28 Nov 2026 12:45:00 GMT'), NOW).accessKey?.accessKeyId).toBe('AKID');
  });
});

describe('the signed path', () => {
  it('is /v1<path>, without the query string, percent-decoded', () => {
    expect(signedPath('/zstack/v1/accounts?q=name=x')).toBe('/v1/accounts');
    expect(signedPath('/zstack/v1/accesskeys/abc/actions')).toBe('/v1/accesskeys/abc/actions');
    expect(signedPath('/zstack/v1/accounts/a%20b')).toBe('/v1/accounts/a b');
    expect(signedPath('/zstack/v1/accounts/%E0%A4%A')).toBe('/v1/accounts/%E0%A4%A');
  });

  it('keys read-your-writes by session or access key', () => {
    expect(readerOf({ sessionUuid: 's' })).toBe('s');
    expect(readerOf({ accessKey: { accessKeyId: 'AK', signature: 'x', date: DATE, method: 'GET', path: '/v1/accounts' } })).toBe('accesskey:AK');
    expect(readerOf({})).toBeUndefined();
  });
});
