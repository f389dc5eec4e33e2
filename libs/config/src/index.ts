/**
 * The one way our apps read configuration: environment variables with documented defaults,
 * checked at start-up so that a bad value stops the process with a clear message instead of
 * misbehaving later.
 */
import { DEFAULT_QUERY_TIME_LIMIT_MS } from '@cp/query';

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

export function envString(env: Env, name: string, fallback: string): string {
  const v = env[name];
  return v === undefined || v === '' ? fallback : v;
}

export function envInt(env: Env, name: string, fallback: number, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw.trim())) throw new ConfigError(`${name} must be an integer, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

export function envEnum<T extends string>(env: Env, name: string, values: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(values as readonly string[]).includes(raw)) throw new ConfigError(`${name} must be one of ${values.join(', ')}, got "${raw}"`);
  return raw as T;
}

/** Event store selection shared by every domain service. */
export interface EventStoreConfig {
  kind: 'jetstream' | 'esdb';
  esdbConnectionString?: string;
  /** How often read models save their checkpoint (CHECKPOINT_INTERVAL_SEC, 0: never; they replay the log at start). */
  checkpointIntervalMs: number | null;
}

export function eventStoreConfig(env: Env): EventStoreConfig {
  const kind = envEnum(env, 'EVENT_STORE', ['jetstream', 'esdb'] as const, 'jetstream');
  if (kind === 'esdb' && !env.ESDB_CONNECTION_STRING) {
    throw new ConfigError('EVENT_STORE=esdb needs ESDB_CONNECTION_STRING (e.g. esdb://localhost:2113?tls=false)');
  }
  const checkpointSec = envInt(env, 'CHECKPOINT_INTERVAL_SEC', 30, 0, 86_400);
  return { kind, esdbConnectionString: env.ESDB_CONNECTION_STRING, checkpointIntervalMs: checkpointSec === 0 ? null : checkpointSec * 1000 };
}

/** What every app reads the same way, the gateway included. */
export interface AppConfig {
  /** NATS_URL: the bus (and, with EVENT_STORE=jetstream, the event store). */
  natsUrl: string;
  /** JOB_TTL_SEC: how long a finished job's outcome is kept. */
  jobTtlMs: number;
}

export function appConfig(env: Env): AppConfig {
  return {
    natsUrl: envString(env, 'NATS_URL', 'nats://127.0.0.1:4222'),
    jobTtlMs: envInt(env, 'JOB_TTL_SEC', 10_800, 1, 30 * 86_400) * 1000,
  };
}

/**
 * The keys every domain service (identity-svc, baremetal-svc, platform-svc, audit-svc) reads the
 * same way; each app's config is `{ ...serviceConfig(env), <its own keys> }`.
 */
export interface ServiceConfig extends AppConfig {
  eventStore: EventStoreConfig;
  /** READ_YOUR_WRITES_TIMEOUT_MS: how long a query waits for the read model to reach the caller's last write. */
  readYourWritesTimeoutMs: number;
  /** QUERY_TIME_LIMIT_MS: a query running longer fails with SYS.1006 instead of holding the service. */
  queryTimeLimitMs: number;
  /** AUTH_TIMEOUT_MS: how long identity-svc may take to resolve a caller (AUTHENTICATE_SUBJECT). */
  authTimeoutMs: number;
}

export function serviceConfig(env: Env): ServiceConfig {
  return {
    ...appConfig(env),
    eventStore: eventStoreConfig(env),
    readYourWritesTimeoutMs: envInt(env, 'READ_YOUR_WRITES_TIMEOUT_MS', 5000, 0, 60_000),
    queryTimeLimitMs: envInt(env, 'QUERY_TIME_LIMIT_MS', DEFAULT_QUERY_TIME_LIMIT_MS, 1, 600_000),
    authTimeoutMs: envInt(env, 'AUTH_TIMEOUT_MS', 5000, 100, 60_000),
  };
}

/**
 * Log lines as JSON (one object per line, for log shippers) or as coloured text for a terminal.
 * `LOG_FORMAT=json|text`; by default JSON unless stdout is a terminal. `LOG_LEVEL` is the lowest
 * level printed (`debug`, `log`, `warn`, `error`; default `log`).
 */
export interface LogConfig {
  json: boolean;
  levels: Array<'debug' | 'log' | 'warn' | 'error' | 'fatal'>;
}

export function logConfig(env: Env, isTty = Boolean(process.stdout.isTTY)): LogConfig {
  const format = envEnum(env, 'LOG_FORMAT', ['json', 'text'] as const, isTty ? 'text' : 'json');
  const all = ['debug', 'log', 'warn', 'error', 'fatal'] as const;
  const lowest = envEnum(env, 'LOG_LEVEL', ['debug', 'log', 'warn', 'error'] as const, 'log');
  return { json: format === 'json', levels: all.slice(all.indexOf(lowest)) };
}
