import { envInt, serviceConfig, type ServiceConfig } from '@cp/config';
import { keyRingFromEnv, type KeyRing } from '@cp/crypto';
import type { ScryptParams } from './passwords/password-hasher';
import type { GlobalLockoutPolicy, LockoutPolicy } from '@cp/domain/identity';

export interface IdentityConfig extends ServiceConfig {
  /** identity.session.timeout: sliding session lifetime in seconds. */
  sessionTimeoutSec: number;
  /** identity.session.maxConcurrent: sessions one account may hold at once. */
  sessionMaxConcurrent: number;
  /** How often expired sessions are swept from the session bucket. */
  sessionCleanupIntervalSec: number;
  scrypt: ScryptParams;
  /** Brute-force protection of LogInByAccount / LogIn / LoginIAM2VirtualID, per login name and source address. */
  loginLockout: LockoutPolicy;
  /** The bound per login name across all addresses (maxFailures 0: none); docs/limits.md. */
  loginGlobalLockout: GlobalLockoutPolicy;
  /**
   * The master keys that seal stored secrets (access key secrets): ENCRYPTION_KEYS_FILE or
   * ENCRYPTION_KEY; neither set stops the service at start. Prints as key ids only.
   */
  keyRing: KeyRing;
}

export const IDENTITY_CONFIG = Symbol('IDENTITY_CONFIG');

export function loadIdentityConfig(env: NodeJS.ProcessEnv = process.env): IdentityConfig {
  return {
    ...serviceConfig(env),
    sessionTimeoutSec: envInt(env, 'SESSION_TIMEOUT_SEC', 7200, 1, 31_536_000),
    sessionMaxConcurrent: envInt(env, 'SESSION_MAX_CONCURRENT', 500, 1, 1_000_000),
    sessionCleanupIntervalSec: envInt(env, 'SESSION_CLEANUP_INTERVAL_SEC', 3600, 1, 86_400),
    scrypt: {
      log2N: envInt(env, 'PASSWORD_SCRYPT_LOG2N', 15, 10, 20),
      r: envInt(env, 'PASSWORD_SCRYPT_R', 8, 1, 32),
      p: envInt(env, 'PASSWORD_SCRYPT_P', 1, 1, 16),
    },
    loginLockout: {
      maxFailures: envInt(env, 'LOGIN_MAX_FAILURES', 5, 1, 1000),
      windowMs: envInt(env, 'LOGIN_FAILURE_WINDOW_SEC', 300, 1, 86_400) * 1000,
      baseLockMs: envInt(env, 'LOGIN_LOCK_BASE_SEC', 60, 1, 86_400) * 1000,
      maxLockMs: envInt(env, 'LOGIN_LOCK_MAX_SEC', 900, 1, 7 * 86_400) * 1000,
    },
    loginGlobalLockout: {
      maxFailures: envInt(env, 'LOGIN_GLOBAL_MAX_FAILURES', 100, 0, 1_000_000),
      windowMs: envInt(env, 'LOGIN_FAILURE_WINDOW_SEC', 300, 1, 86_400) * 1000,
      lockMs: envInt(env, 'LOGIN_GLOBAL_LOCK_SEC', 60, 1, 86_400) * 1000,
    },
    keyRing: keyRingFromEnv(env),
  };
}
