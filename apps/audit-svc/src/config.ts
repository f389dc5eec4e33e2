import { envInt, envString, eventStoreConfig, type EventStoreConfig } from '@cp/config';

export interface AuditConfig {
  natsUrl: string;
  eventStore: EventStoreConfig;
  authTimeoutMs: number;
  jobTtlMs: number;
}

export const AUDIT_CONFIG = Symbol('AUDIT_CONFIG');

export function loadAuditConfig(env: NodeJS.ProcessEnv = process.env): AuditConfig {
  return {
    natsUrl: envString(env, 'NATS_URL', 'nats://127.0.0.1:4222'),
    eventStore: eventStoreConfig(env),
    authTimeoutMs: envInt(env, 'AUTH_TIMEOUT_MS', 5000, 100, 60_000),
    jobTtlMs: envInt(env, 'JOB_TTL_SEC', 10_800, 1, 30 * 86_400) * 1000,
  };
}
