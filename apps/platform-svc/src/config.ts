import { envBool, envInt, envMatching, serviceConfig, type ServiceConfig } from '@cp/config';
import { keyRingFromEnv, type KeyRing } from '@cp/crypto';
import { DenyList } from './connector/deny-list';

export interface PlatformConfig extends ServiceConfig {
  /** The master keys that wrap each platform's data key (ENCRYPTION_KEYS_FILE or ENCRYPTION_KEY). */
  keyRing: KeyRing;
  /** Where the key ring came from, so `RotatePlatformKeys` can read it again; undefined for ENCRYPTION_KEY. */
  keysFile?: string;
  /** Targets a connection test or negotiation must not reach (CIDRs, comma-separated). */
  denyList: string;
  /** Bound of a whole connection test or negotiation. */
  connectTimeoutMs: number;
  /** Bound of each step of a connection test. */
  stepTimeoutMs: number;
  /** Health monitor: probe interval, concurrency, and the latency above which a success is `degraded`. */
  probeIntervalMs: number;
  probeConcurrency: number;
  latencyThresholdMs: number;
  /** Whether this replica runs the health monitor at all (the lease still elects one among those that do). */
  monitor: boolean;
}

export const PLATFORM_CONFIG = Symbol('PLATFORM_CONFIG');

export function loadPlatformConfig(env: NodeJS.ProcessEnv = process.env): PlatformConfig {
  return {
    ...serviceConfig(env),
    keyRing: keyRingFromEnv(env),
    keysFile: env.ENCRYPTION_KEYS_FILE?.trim() || undefined,
    denyList: envMatching(env, 'CONNECT_DENY_LIST', '169.254.0.0/16,fe80::/10', 'comma-separated CIDRs (e.g. 169.254.0.0/16,fe80::/10)', isDenyList),
    connectTimeoutMs: envInt(env, 'CONNECT_TIMEOUT_MS', 10_000, 100, 120_000),
    stepTimeoutMs: envInt(env, 'CONNECT_STEP_TIMEOUT_MS', 3000, 50, 60_000),
    probeIntervalMs: envInt(env, 'HEALTH_PROBE_INTERVAL_SEC', 60, 1, 86_400) * 1000,
    probeConcurrency: envInt(env, 'HEALTH_PROBE_CONCURRENCY', 8, 1, 256),
    latencyThresholdMs: envInt(env, 'HEALTH_LATENCY_THRESHOLD_MS', 2000, 1, 600_000),
    monitor: envBool(env, 'HEALTH_MONITOR', true),
  };
}

function isDenyList(spec: string): boolean {
  try {
    new DenyList(spec);
    return true;
  } catch {
    return false;
  }
}
