import { appConfig, envBool, envInt, envString, envTimeZone, envUrl, type AppConfig } from '@cp/config';
import { defaultConsoleDir } from './console/console-dir';
import { loadLimitsConfig, loadTrustProxy, type LimitsConfig, type TrustProxy } from './limits/limits-config';

export interface GatewayConfig extends AppConfig {
  host: string;
  port: number;
  /** Base of the `location` URLs in 202 replies; derived from the request's Host header when empty. */
  publicUrl: string;
  /** Default body limit; the catalog may set another per API. */
  bodyLimitBytes: number;
  /** How long an async API waits for its command before answering 202 instead of 200. */
  fastPathMs: number;
  /** Timeout of a sync API's request on the bus. */
  busTimeoutMs: number;
  /** A job not finished after this long is reported failed with SYS.1001 (X-API-Timeout overrides). */
  apiTimeoutMs: number;
  /** Time zone of ZStack timestamps in replies (ZStack prints the server's local time). */
  timeZone: string;
  /** Rate and concurrency limits per client (docs/limits.md). */
  limits: LimitsConfig;
  /** TRUST_PROXY: which X-Forwarded-For hops name the client (its address for limits and login lockout). */
  trustProxy: TrustProxy;
  /**
   * SHARED_SESSION_POSITIONS: read-your-writes across several gateways (a session's write positions
   * in a KV bucket, one read per query). Off for a single gateway, where they stay in memory.
   */
  sharedSessionPositions: boolean;
  /** CONSOLE_DIR: the built operator console served at `/console` (docs/console.md). */
  consoleDir: string;
}

export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');

/** The gateway's schema: appConfig plus its own keys (README, Configuration). */
export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  return {
    ...appConfig(env),
    host: envString(env, 'HOST', '0.0.0.0'),
    port: envInt(env, 'PORT', 8080, 0, 65535),
    publicUrl: envUrl(env, 'PUBLIC_URL', '', ['http', 'https']).replace(/\/+$/, ''),
    bodyLimitBytes: envInt(env, 'BODY_LIMIT_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    fastPathMs: envInt(env, 'FAST_PATH_MS', 2000, 1, 60_000),
    busTimeoutMs: envInt(env, 'BUS_TIMEOUT_MS', 10_000, 100, 600_000),
    apiTimeoutMs: envInt(env, 'API_TIMEOUT_MS', 60_000, 1000, 86_400_000),
    timeZone: envTimeZone(env, 'ZSTACK_TIME_ZONE', 'UTC'),
    limits: loadLimitsConfig(env),
    trustProxy: loadTrustProxy(env),
    sharedSessionPositions: envBool(env, 'SHARED_SESSION_POSITIONS', false),
    consoleDir: envString(env, 'CONSOLE_DIR', '') || defaultConsoleDir(),
  };
}
