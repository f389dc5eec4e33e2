import { envInt, envString, eventStoreConfig, type EventStoreConfig } from '@cp/config';
import { DEFAULT_QUERY_TIME_LIMIT_MS } from '@cp/query';

export interface BaremetalConfig {
  natsUrl: string;
  eventStore: EventStoreConfig;
  /** How long a query waits for the read model to reach the caller's last write. */
  readYourWritesTimeoutMs: number;
  /** QUERY_TIME_LIMIT_MS: a query running longer fails with SYS.1006 instead of holding the service. */
  queryTimeLimitMs: number;
  /** How long identity-svc may take to resolve a caller (AUTHENTICATE_SUBJECT). */
  authTimeoutMs: number;
  jobTtlMs: number;
}

export const BAREMETAL_CONFIG = Symbol('BAREMETAL_CONFIG');

export function loadBaremetalConfig(env: NodeJS.ProcessEnv = process.env): BaremetalConfig {
  return {
    natsUrl: envString(env, 'NATS_URL', 'nats://127.0.0.1:4222'),
    eventStore: eventStoreConfig(env),
    readYourWritesTimeoutMs: envInt(env, 'READ_YOUR_WRITES_TIMEOUT_MS', 5000, 0, 60_000),
    queryTimeLimitMs: envInt(env, 'QUERY_TIME_LIMIT_MS', DEFAULT_QUERY_TIME_LIMIT_MS, 1, 600_000),
    authTimeoutMs: envInt(env, 'AUTH_TIMEOUT_MS', 5000, 100, 60_000),
    jobTtlMs: envInt(env, 'JOB_TTL_SEC', 10_800, 1, 30 * 86_400) * 1000,
  };
}
