/**
 * The one way our apps read configuration: environment variables with documented defaults,
 * checked at start-up so that a bad value stops the process with a clear message instead of
 * misbehaving later.
 */
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
