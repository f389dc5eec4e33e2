import { createHmac } from 'node:crypto';
import type { AccessKeyEvent } from '@cp/contracts';
import { evolve, type AccessKeyRecord } from './access-key.decider';
import { ACCOUNT_DISABLED, KEY_DISABLED, TIME_SKEWED, WRONG_SIGNATURE, isSignedRequest, verifySignedRequest, type SignedRequestContext } from './signed-request';

const ALICE = 'a11ce000000040008000000000000001';
const SECRET = 'Zq0FmS4vQ9tY2nB7wX1cE5rT8uI3oP6aS0dF4gH7';
const NOW = Date.parse('2026-11-28T13:00:00Z');
const DATE = 'Sat, 28 Nov 2026 13:00:00 GMT';

const created: AccessKeyEvent = {
  type: 'AccessKeyCreated',
  data: { uuid: 'k'.repeat(32), accountUuid: ALICE, userUuid: ALICE, accessKeyId: 'AKID000000000001', secret: { keyId: 'k1', ciphertext: 'x' }, state: 'Enabled', keyType: 'User', createDate: '2026-11-28T12:00:00Z' },
};
const key = evolve(null, created) as AccessKeyRecord;
const disabled = evolve(key, { type: 'AccessKeyStateChanged', data: { uuid: key.inventory.uuid, state: 'Disabled', lastOpDate: '2026-11-28T12:30:00Z' } })!;

/** Signed the way ZStack's SDK signs: base64(HmacSHA1(secret, METHOD\nDATE\n/v1<path>)). */
const sign = (secret: string, method: string, date: string, path: string) =>
  createHmac('sha1', secret).update(`${method}\n${date}\n${path}`).digest('base64');
const request = (over: Partial<{ signature: string; date: string; method: string; path: string }> = {}) => {
  const base = { accessKeyId: 'AKID000000000001', date: DATE, method: 'GET', path: '/v1/accounts', ...over };
  return { ...base, signature: over.signature ?? sign(SECRET, base.method, base.date, base.path) };
};
const ctx = (over: Partial<SignedRequestContext> = {}): SignedRequestContext => ({
  key, secretOf: () => SECRET, accountState: () => 'Enabled', nowMs: NOW, ...over,
});
const details = (auth: ReturnType<typeof verifySignedRequest>) => (auth.ok ? 'ok' : `${auth.error.code} ${auth.error.details}`);

describe('verifySignedRequest', () => {
  it('accepts the HMAC-SHA1 of METHOD\\nDATE\\n/v1<path> and yields the key\'s account as the caller', () => {
    expect(verifySignedRequest(request(), ctx())).toEqual({ ok: true, caller: { accountUuid: ALICE, userUuid: ALICE } });
    expect(sign(SECRET, 'GET', DATE, '/v1/accounts')).toMatch(/^[A-Za-z0-9+/]{27}=$/);
  });

  it.each([
    ['a wrong signature', request({ signature: sign('another-secret-123', 'GET', DATE, '/v1/accounts') }), ctx(), `ID.1001 ${WRONG_SIGNATURE}`],
    ['a signature of another path', request({ signature: sign(SECRET, 'GET', DATE, '/v1/accesskeys') }), ctx(), `ID.1001 ${WRONG_SIGNATURE}`],
    ['a signature of another method', request({ signature: sign(SECRET, 'PUT', DATE, '/v1/accounts') }), ctx(), `ID.1001 ${WRONG_SIGNATURE}`],
    ['a truncated signature', request({ signature: sign(SECRET, 'GET', DATE, '/v1/accounts').slice(0, 20) }), ctx(), `ID.1001 ${WRONG_SIGNATURE}`],
    ['an unknown key', request(), ctx({ key: undefined }), `ID.1001 ${WRONG_SIGNATURE}`],
    ['a secret that cannot be opened', request(), ctx({ secretOf: () => null }), `ID.1001 ${WRONG_SIGNATURE}`],
    ['a disabled key', request(), ctx({ key: disabled }), `ID.1001 ${KEY_DISABLED}`],
    ['a disabled key signed wrongly (tells nothing)', request({ signature: 'x'.repeat(28) }), ctx({ key: disabled }), `ID.1001 ${WRONG_SIGNATURE}`],
    ['a deleted account', request(), ctx({ accountState: () => undefined }), `ID.1001 ${WRONG_SIGNATURE}`],
    ['a disabled account', request(), ctx({ accountState: () => 'Disabled' }), `ID.1001 ${ACCOUNT_DISABLED}`],
    ['a Date 16 minutes old', request(), ctx({ nowMs: NOW + 16 * 60_000 }), `ID.1001 ${TIME_SKEWED}`],
    ['a malformed Date', request({ date: '2026-11-28T13:00:00Z' }), ctx(), `ID.1001 ${TIME_SKEWED}`],
  ])('refuses %s', (_what, req, c, expected) => {
    expect(details(verifySignedRequest(req, c))).toBe(expected);
  });

  it('checks the shape of what a bus caller sent', () => {
    expect(isSignedRequest(request())).toBe(true);
    expect(isSignedRequest({ ...request(), date: 5 })).toBe(false);
    expect(isSignedRequest(null)).toBe(false);
  });
});
