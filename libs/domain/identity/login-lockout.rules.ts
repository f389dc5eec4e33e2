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

/**
 * The bound across all source addresses of one name (failures are otherwise counted per name and
 * address): after `maxFailures` failures in a streak from anywhere, the name is refused for `lockMs`,
 * a fixed wait that does not grow, and the streak starts again after it. It caps the guesses against
 * one name from many addresses at `maxFailures` per lock, and delays its owner rather than locking
 * them out: between two locks an attacker must fail `maxFailures` times again.
 */
export interface GlobalLockoutPolicy {
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

export function afterGlobalFailure(record: LockoutRecord | null, now: number, policy: GlobalLockoutPolicy): LockoutRecord {
  const lockServed = record !== null && record.lockedUntil !== 0 && record.lockedUntil <= now;
  const streakAlive = record !== null && !lockServed && now - record.lastFailureAt <= policy.windowMs;
  const failures = (streakAlive ? record.failures : 0) + 1;
  const lockedUntil = failures >= policy.maxFailures ? now + policy.lockMs : streakAlive ? record.lockedUntil : 0;
  return { failures, lastFailureAt: now, lockedUntil };
}
