/**
 * The one way our apps read configuration: environment variables with documented defaults, read
 * through the typed readers below and checked at start-up, so that a bad value stops the process
 * with one line naming the variable, the rule and the value (never a secret's value) instead of
 * misbehaving later. Each app's `loadXConfig(env)` is its schema; its main loads it with
 * `startupConfig(app, load)`, which prints `<app> cannot start: <line>` and exits 1 on a bad value.
 */
import { DEFAULT_QUERY_TIME_LIMIT_MS } from '@cp/query';

/** A bad setting: `<VARIABLE> must be <rule>, got "<value>"` (the value left out for secrets). */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(readonly variable: string, readonly rule: string, value?: string) {
    super(`${variable} must be ${rule}${value === undefined ? '' : `, got ${quote(value)}`}`);
  }
}

/** The value as one short line: JSON-quoted (control characters escaped), cut at 64 characters. */
function quote(value: string): string {
  return JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}...` : value);
}

type Env = Record<string, string | undefined>;

/** Unset and empty both mean "the default". */
function raw(env: Env, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v === '' ? undefined : v;
}

/** Any text. */
export function envString(env: Env, name: string, fallback: string): string {
  return raw(env, name) ?? fallback;
}

/** A text the `accepts` test passes; `rule` says which in the error. `secret`: the value is never printed. */
export function envMatching(
  env: Env, name: string, fallback: string, rule: string, accepts: (value: string) => boolean, options: { secret?: boolean } = {},
): string {
  const v = raw(env, name);
  if (v === undefined) return fallback;
  if (!accepts(v)) throw new ConfigError(name, rule, options.secret ? undefined : v);
  return v;
}

/** A whole number (digits, optionally signed; surrounding blanks allowed) within [min, max]. */
export function envInt(env: Env, name: string, fallback: number, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): number {
  const v = raw(env, name);
  if (v === undefined) return fallback;
  const bounded = min !== Number.MIN_SAFE_INTEGER || max !== Number.MAX_SAFE_INTEGER;
  const rule = bounded ? `an integer from ${min} to ${max}` : 'an integer';
  if (!/^-?\d+$/.test(v.trim())) throw new ConfigError(name, rule, v);
  const n = Number(v.trim());
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new ConfigError(name, rule, v);
  return n;
}

/** A TCP port (0 to 65535, 0: any free one), or null when unset. */
export function envOptionalPort(env: Env, name: string): number | null {
  const port = envInt(env, name, -1, 0, 65535);
  return port === -1 ? null : port;
}

const TRUE = ['true', '1', 'on'];
const FALSE = ['false', '0', 'off'];

/** A switch: `true`/`false`, `1`/`0` or `on`/`off` (any case). Anything else is refused, not read as "on". */
export function envBool(env: Env, name: string, fallback: boolean): boolean {
  const v = raw(env, name);
  if (v === undefined) return fallback;
  const word = v.trim().toLowerCase();
  if (TRUE.includes(word)) return true;
  if (FALSE.includes(word)) return false;
  throw new ConfigError(name, 'one of true, false, 1, 0, on, off', v);
}

/** One of a fixed list of words (exact). */
export function envEnum<T extends string>(env: Env, name: string, values: readonly T[], fallback: T): T {
  const v = raw(env, name);
  if (v === undefined) return fallback;
  if (!(values as readonly string[]).includes(v)) throw new ConfigError(name, `one of ${values.join(', ')}`, v);
  return v as T;
}

/**
 * A URL with one of `schemes` (`scheme://` then no blanks). `secret`: the value (it may hold a
 * password) is never printed.
 */
export function envUrl(env: Env, name: string, fallback: string, schemes: readonly string[], options: { secret?: boolean } = {}): string {
  const rule = `a URL starting with ${schemes.map((s) => `${s}://`).join(' or ')}`;
  const accepts = (v: string) => {
    const m = /^([a-z][a-z0-9+.-]*):\/\/\S+$/i.exec(v);
    return m !== null && schemes.includes(m[1].toLowerCase());
  };
  return envMatching(env, name, fallback, rule, accepts, options);
}

/** An IANA time zone name (e.g. `Europe/Berlin`, `UTC`). */
export function envTimeZone(env: Env, name: string, fallback: string): string {
  return envMatching(env, name, fallback, 'an IANA time zone (e.g. UTC, Europe/Berlin)', (timeZone) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone });
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * How a main loads its config: `load()`, and on a bad value (a ConfigError, or any error the
 * loader throws, e.g. a missing master key) `<app> cannot start: <one line>` on stderr and exit 1,
 * no stack trace.
 */
export function startupConfig<T>(app: string, load: () => T): T {
  try {
    return load();
  } catch (error) {
    process.stderr.write(`${cannotStart(app, error)}\n`);
    process.exit(1);
  }
}

/** `<app> cannot start: <the first line of the error's message>`. */
export function cannotStart(app: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `${app} cannot start: ${message.split('\n')[0]}`;
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
  // It may hold a password: never printed.
  const esdbConnectionString = envUrl(env, 'ESDB_CONNECTION_STRING', '', ['esdb', 'esdb+discover'], { secret: true }) || undefined;
  if (kind === 'esdb' && !esdbConnectionString) {
    throw new ConfigError('ESDB_CONNECTION_STRING', 'set when EVENT_STORE=esdb (e.g. esdb://localhost:2113?tls=false)');
  }
  const checkpointSec = envInt(env, 'CHECKPOINT_INTERVAL_SEC', 30, 0, 86_400);
  return { kind, esdbConnectionString, checkpointIntervalMs: checkpointSec === 0 ? null : checkpointSec * 1000 };
}

/** What every app reads the same way, the gateway included. */
export interface AppConfig {
  /** NATS_URL: the bus (and, with EVENT_STORE=jetstream, the event store). */
  natsUrl: string;
  /** JOB_TTL_SEC: how long a finished job's outcome is kept. */
  jobTtlMs: number;
}

/**
 * JETSTREAM_REPLICAS: how many copies of the event stream, the KV buckets and the checkpoint object
 * store JetStream keeps (1 on a single server; 3 on a 3-node cluster). Applied when a stream or
 * bucket is created (the event stream is also scaled to it at start); read where they are opened.
 */
export function jetStreamReplicas(env: Env = process.env): number {
  return envInt(env, 'JETSTREAM_REPLICAS', 1, 1, 5);
}

export function appConfig(env: Env): AppConfig {
  // LOG_FORMAT and LOG_LEVEL are read by the logger (libs/observability), JETSTREAM_REPLICAS where
  // streams and buckets are opened; checked here, with the rest, at start.
  logConfig(env);
  jetStreamReplicas(env);
  return {
    // Comma-separated servers, possibly with credentials: any text (NATS says what it cannot reach).
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
  /** METRICS_PORT: the service's HTTP port for /metrics, /health/live and /health/ready (0: any free port; null, unset: none). */
  metricsPort: number | null;
}

export function serviceConfig(env: Env): ServiceConfig {
  return {
    ...appConfig(env),
    eventStore: eventStoreConfig(env),
    readYourWritesTimeoutMs: envInt(env, 'READ_YOUR_WRITES_TIMEOUT_MS', 5000, 0, 60_000),
    queryTimeLimitMs: envInt(env, 'QUERY_TIME_LIMIT_MS', DEFAULT_QUERY_TIME_LIMIT_MS, 1, 600_000),
    authTimeoutMs: envInt(env, 'AUTH_TIMEOUT_MS', 5000, 100, 60_000),
    metricsPort: envOptionalPort(env, 'METRICS_PORT'),
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

export { HELP, UsageError, commandLine, strictly } from './cli';
