import { isIP } from 'node:net';
import { ConfigError, envInt } from '@cp/config';

/** The gateway's abuse limits (docs/limits.md); 0 turns a limit off. */
export interface LimitsConfig {
  /** Logins (APIs marked `login` in the registry) per source address and minute, and the bucket's size. */
  loginPerMin: number;
  loginBurst: number;
  /** Requests per client (session, access key, else source address) and second, and the bucket's size. */
  apiPerSec: number;
  apiBurst: number;
  /** Requests of one client being served at once; more are refused at once. */
  maxInFlightPerClient: number;
  /**
   * How long a refusal is held before it is sent (at most its Retry-After): a client that floods with
   * a fixed number of connections is slowed to that many requests per delay, instead of costing the
   * gateway a refusal as fast as it can send. 0: refusals are sent at once.
   */
  refusalDelayMs: number;
  /**
   * How long a request may take to arrive whole, headers and body (Node's `requestTimeout`; Fastify
   * sets none by default): a body that never comes frees its connection and its slot after this. 0: none.
   */
  requestTimeoutMs: number;
}

/**
 * Which X-Forwarded-For hops the gateway believes (Fastify's `trustProxy`): `false` (the TCP peer is the
 * client), `true` (every hop: only when nothing but a proxy can reach the gateway), a number of hops,
 * or the proxies' addresses and CIDRs (`loopback`, `linklocal`, `uniquelocal` name ranges).
 */
export type TrustProxy = boolean | number | string[];

export function loadLimitsConfig(env: NodeJS.ProcessEnv): LimitsConfig {
  const loginPerMin = envInt(env, 'RATE_LIMIT_LOGIN_PER_MIN', 30, 0, 1_000_000);
  const apiPerSec = envInt(env, 'RATE_LIMIT_API_PER_SEC', 100, 0, 1_000_000);
  return {
    loginPerMin,
    loginBurst: envInt(env, 'RATE_LIMIT_LOGIN_BURST', Math.max(1, Math.ceil(loginPerMin / 3)), 1, 1_000_000),
    apiPerSec,
    apiBurst: envInt(env, 'RATE_LIMIT_API_BURST', Math.max(1, apiPerSec * 2), 1, 10_000_000),
    maxInFlightPerClient: envInt(env, 'MAX_IN_FLIGHT_PER_CLIENT', 32, 0, 1_000_000),
    refusalDelayMs: envInt(env, 'RATE_LIMIT_REFUSAL_DELAY_MS', 250, 0, 10_000),
    requestTimeoutMs: envInt(env, 'REQUEST_TIMEOUT_MS', 300_000, 0, 3_600_000),
  };
}

const RANGES = ['loopback', 'linklocal', 'uniquelocal'];
const RULE = 'false, true, a number of proxy hops, or a comma-separated list of addresses, CIDRs, loopback, linklocal, uniquelocal';

function isCidrOrAddress(entry: string): boolean {
  if (RANGES.includes(entry)) return true;
  const [address, bits, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

/** TRUST_PROXY; unset: false (direct clients cannot choose their address with X-Forwarded-For). */
export function loadTrustProxy(env: NodeJS.ProcessEnv): TrustProxy {
  const raw = env.TRUST_PROXY?.trim();
  if (raw === undefined || raw === '') return false;
  const word = raw.toLowerCase();
  if (['false', 'off', '0'].includes(word)) return false;
  if (['true', 'on'].includes(word)) return true;
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw);
    if (hops > 100) throw new ConfigError('TRUST_PROXY', RULE, raw);
    return hops;
  }
  const entries = raw.split(',').map((e) => e.trim());
  if (entries.some((e) => !isCidrOrAddress(e))) throw new ConfigError('TRUST_PROXY', RULE, raw);
  return entries;
}
