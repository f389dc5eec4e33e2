/**
 * Login lockout as Keycloak models brute-force protection, as pure functions over one name's record:
 * after `maxFailures` failed attempts in a streak, attempts are refused for a wait that starts at
 * `baseLockMs` and doubles with each further failure, up to `maxLockMs`. A streak ends after
 * `windowMs` without a failure (counted from the end of the last lock), or with a successful login.
 */
export interface LockoutPolicy {
  maxFailures: number;
  windowMs: number;
  baseLockMs: number;
  maxLockMs: number;
}

export interface LockoutRecord {
  failures: number;
  lastFailureAt: number;
  lockedUntil: number;
}

export const isLocked = (record: LockoutRecord | null, now: number) => record !== null && record.lockedUntil > now;

export function afterFailure(record: LockoutRecord | null, now: number, policy: LockoutPolicy): LockoutRecord {
  const streakAlive = record !== null && now - Math.max(record.lastFailureAt, record.lockedUntil) <= policy.windowMs;
  const failures = (streakAlive ? record.failures : 0) + 1;
  const lockedUntil = failures >= policy.maxFailures
    ? now + Math.min(policy.baseLockMs * 2 ** (failures - policy.maxFailures), policy.maxLockMs)
    : streakAlive ? record.lockedUntil : 0;
  return { failures, lastFailureAt: now, lockedUntil };
}
