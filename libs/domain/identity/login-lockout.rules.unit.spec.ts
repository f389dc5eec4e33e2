import { afterFailure, afterGlobalFailure, isLocked, type LockoutRecord } from './login-lockout.rules';

const policy = { maxFailures: 5, windowMs: 300_000, baseLockMs: 60_000, maxLockMs: 900_000 };
const S = 1000;

function failAt(times: number[], start: LockoutRecord | null = null): LockoutRecord | null {
  return times.reduce<LockoutRecord | null>((r, t) => afterFailure(r, t, policy), start);
}

describe('login lockout', () => {
  it('locks for 60 s after the fifth failure in a streak, not before', () => {
    const four = failAt([0, 1, 2, 3].map((i) => i * S));
    expect(isLocked(four, 4 * S)).toBe(false);
    const five = failAt([4 * S], four);
    expect(five?.lockedUntil).toBe(4 * S + 60_000);
    expect(isLocked(five, 63 * S)).toBe(true);
    expect(isLocked(five, 64 * S)).toBe(false);
  });

  it('doubles the wait with each further failure, up to 15 minutes', () => {
    let r = failAt([0, 1, 2, 3, 4].map((i) => i * S));
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      const t = r!.lockedUntil + S;
      r = afterFailure(r, t, policy);
      waits.push((r.lockedUntil - t) / S);
    }
    expect(waits).toEqual([120, 240, 480, 900, 900, 900]);
  });

  it('forgets a streak after the window passes without a failure', () => {
    const four = failAt([0, 1, 2, 3].map((i) => i * S));
    const later = afterFailure(four, 3 * S + 301 * S, policy);
    expect(later.failures).toBe(1);
    expect(isLocked(later, later.lastFailureAt)).toBe(false);
  });
});

describe('the bound across addresses of one name', () => {
  const global = { maxFailures: 100, windowMs: 300_000, lockMs: 60_000 };
  const failGlobally = (count: number, start: LockoutRecord | null = null, at = 0) =>
    Array.from({ length: count }).reduce<LockoutRecord | null>((r) => afterGlobalFailure(r, at, global), start);

  it('locks for a fixed time at the 100th failure of a streak, not before', () => {
    expect(isLocked(failGlobally(99), 0)).toBe(false);
    const hundred = failGlobally(100);
    expect(hundred?.lockedUntil).toBe(60_000);
    expect(isLocked(hundred, 59_999)).toBe(true);
    expect(isLocked(hundred, 60_000)).toBe(false);
  });

  it('starts a new streak once the lock is served: it delays, it does not lock out', () => {
    const served = afterGlobalFailure(failGlobally(100), 61_000, global);
    expect(served).toEqual({ failures: 1, lastFailureAt: 61_000, lockedUntil: 0 });
    const again = failGlobally(99, served, 62_000);
    expect(again?.lockedUntil).toBe(62_000 + 60_000);
    expect(again?.failures).toBe(100);
  });

  it('forgets a streak after the window passes without a failure', () => {
    expect(afterGlobalFailure(failGlobally(50), 301_000, global).failures).toBe(1);
  });
});
