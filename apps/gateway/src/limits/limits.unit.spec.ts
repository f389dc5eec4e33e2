import { loadLimitsConfig, loadTrustProxy } from './limits-config';
import { InFlight, TokenBuckets, clientOf } from './token-buckets';
import { loginRoutes } from './abuse-limits';

describe('TokenBuckets', () => {
  it('lets a burst through, then one request per 1/rate, and says how long to wait', () => {
    const buckets = new TokenBuckets(10, 3);
    expect([0, 0, 0].map(() => buckets.take('a', 1000))).toEqual([0, 0, 0]);
    expect(buckets.take('a', 1000)).toBe(100);
    expect(buckets.take('a', 1050)).toBe(50);
    expect(buckets.take('a', 1100)).toBe(0);
    // Another key has its own bucket.
    expect(buckets.take('b', 1100)).toBe(0);
  });

  it('refills up to the burst only', () => {
    const buckets = new TokenBuckets(1, 2);
    buckets.take('a', 0);
    buckets.take('a', 0);
    const after = [0, 0, 0].map(() => buckets.take('a', 60_000));
    expect(after).toEqual([0, 0, 1000]);
  });

  it('forgets the least recently used key past its bound (it starts full again)', () => {
    const buckets = new TokenBuckets(1, 1, 2);
    buckets.take('a', 0);
    buckets.take('b', 0);
    buckets.take('a', 0);
    buckets.take('c', 0);
    expect(buckets.size).toBe(2);
    expect(buckets.take('b', 0)).toBe(0);
    expect(buckets.take('c', 0)).toBeGreaterThan(0);
  });
});

describe('InFlight', () => {
  it('caps each key and frees a slot on release', () => {
    const inFlight = new InFlight(2);
    expect([inFlight.acquire('a'), inFlight.acquire('a'), inFlight.acquire('a'), inFlight.acquire('b')]).toEqual([true, true, false, true]);
    inFlight.release('a');
    expect(inFlight.acquire('a')).toBe(true);
    inFlight.release('a');
    inFlight.release('a');
    expect(inFlight.count('a')).toBe(0);
  });
});

describe('clientOf', () => {
  it('is the session, the access key id, else the address; never shows a session', () => {
    expect(clientOf('OAuth abc', '10.0.0.1')).toEqual({ key: 's:abc', label: 'this session' });
    expect(clientOf('Bearer abc', '10.0.0.2')).toEqual({ key: 's:abc', label: 'this session' });
    expect(clientOf('ZStack AKID123:c2ln', '10.0.0.1')).toEqual({ key: 'k:AKID123', label: 'access key AKID123' });
    expect(clientOf(undefined, '10.0.0.1')).toEqual({ key: 'a:10.0.0.1', label: 'address 10.0.0.1' });
    expect(clientOf('Basic xyz', '10.0.0.1').key).toBe('a:10.0.0.1');
  });
});

describe('loginRoutes', () => {
  it('holds every login of the registry', () => {
    expect([...loginRoutes()].sort()).toEqual([
      'PUT /zstack/v1/accounts/login',
      'PUT /zstack/v1/iam2/virtual-ids/login',
      'PUT /zstack/v1/login',
    ]);
  });
});

describe('limits configuration', () => {
  it('derives the bursts from the rates unless given, 0 turning a limit off', () => {
    expect(loadLimitsConfig({ RATE_LIMIT_LOGIN_PER_MIN: '12', RATE_LIMIT_API_PER_SEC: '0' })).toEqual({
      loginPerMin: 12,
      loginBurst: 4,
      apiPerSec: 0,
      apiBurst: 1,
      maxInFlightPerClient: 32,
      refusalDelayMs: 250,
      requestTimeoutMs: 300_000,
    });
    expect(loadLimitsConfig({ RATE_LIMIT_API_PER_SEC: '10', RATE_LIMIT_API_BURST: '15' })).toMatchObject({ apiPerSec: 10, apiBurst: 15 });
    expect(() => loadLimitsConfig({ RATE_LIMIT_API_PER_SEC: '-1' })).toThrow(
      'RATE_LIMIT_API_PER_SEC must be an integer from 0 to 1000000, got "-1"',
    );
  });

  it.each([
    [undefined, false],
    ['', false],
    ['false', false],
    ['0', false],
    ['true', true],
    ['1', 1],
    ['2', 2],
    ['loopback', ['loopback']],
    ['10.0.0.0/8, 127.0.0.1,::1', ['10.0.0.0/8', '127.0.0.1', '::1']],
    ['fd00::/8', ['fd00::/8']],
  ])('reads TRUST_PROXY=%s', (value, expected) => {
    expect(loadTrustProxy({ TRUST_PROXY: value })).toEqual(expected);
  });

  it.each(['yes', '10.0.0.0/33', 'example.com', '10.0.0.1/8/1', '101'])('refuses TRUST_PROXY=%s', (value) => {
    expect(() => loadTrustProxy({ TRUST_PROXY: value })).toThrow(
      `TRUST_PROXY must be false, true, a number of proxy hops, or a comma-separated list`,
    );
  });
});
