import type { ApiName, PayloadOf } from '@cp/client';
import { ApiError, UnavailableError, isSessionInvalid } from './errors';
import { exchange, failureOf, fillPath, jobId, pathParams, type FetchLike } from './http';
import type { RestRoute, ZStackRoute } from './route-types';
import { ROUTES } from './routes.generated';
import { zstackQueryString, type ZQuery } from './zstack-query';

export type { ApiName, PayloadOf };
/** A reply's JSON: each page reads the fields it shows. */
export type ApiResult = Record<string, unknown>;

export interface CallOptions {
  /** ZStack query APIs: conditions, paging, count. */
  query?: ZQuery;
  signal?: AbortSignal;
}

export interface ApiClientOptions {
  /** The session uuid sent as `Authorization` (none before login). */
  session: () => string | null;
  /** Called when a reply says the session is invalid or expired (ID.1001), before the error is thrown. */
  onSessionInvalid?: (error: ApiError) => void;
  fetch?: FetchLike;
  /** The origin the API paths are relative to: empty in the page (its own origin); `http://host:port` elsewhere (tests). */
  baseUrl?: string;
  /** How often an async ZStack command's job is polled, and for how long at most. */
  pollIntervalMs?: number;
  pollTimeoutMs?: number;
}

const ZSTACK_PREFIX = '/zstack/v1';
const REST_PREFIX = '/api/v1';
const sleep = (ms: number, signal?: AbortSignal) => new Promise<void>((resolve, reject) => {
  const timer = setTimeout(resolve, ms);
  signal?.addEventListener('abort', () => {
    clearTimeout(timer);
    reject(new DOMException('aborted', 'AbortError'));
  }, { once: true });
});

/**
 * The public APIs by their registry name: `api.call('CreatePlatform', {body})`. Each name's route
 * (wire, method, path, body key) comes from routes.generated.ts; the payload type from the request
 * class (type-only). `/api/v1`: JSON with `Bearer`; `/zstack/v1`: `OAuth`, the body under its key,
 * query conditions, and commands through the job protocol (202 + location, polled until done).
 */
export class ApiClient {
  private readonly fetchFn: FetchLike;

  constructor(private readonly options: ApiClientOptions) {
    const base = (options.baseUrl ?? '').replace(/\/+$/, '');
    const send = options.fetch ?? ((input, init) => fetch(input, init));
    this.fetchFn = (path, init) => send(`${base}${path}`, init);
  }

  async call<N extends ApiName, R = ApiResult>(name: N, payload: PayloadOf<N>, options: CallOptions = {}): Promise<R> {
    const route = ROUTES[name];
    try {
      const data = payload as unknown as Record<string, unknown>;
      return (route.wire === 'rest' ? await this.rest(route, data, options) : await this.zstack(route, data, options)) as R;
    } catch (error) {
      if (isSessionInvalid(error) && route.access !== 'none') this.options.onSessionInvalid?.(error);
      throw error;
    }
  }

  /** A plain GET of the gateway (`/health`), parsed; errors as for the APIs. */
  async get<R = ApiResult>(path: string, signal?: AbortSignal): Promise<R> {
    const reply = await exchange(this.fetchFn, path, { method: 'GET', headers: { accept: 'application/json' }, signal });
    if (reply.body === null) throw new UnavailableError(`${path} answered HTTP ${reply.status} with no body`, reply.status);
    return reply.body as R;
  }

  private headers(scheme: 'Bearer' | 'OAuth', route: { access: string }, json: boolean): Record<string, string> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (json) headers['content-type'] = 'application/json';
    const session = this.options.session();
    if (session && route.access !== 'none') headers.authorization = `${scheme} ${session}`;
    return headers;
  }

  private async rest(route: RestRoute, payload: Record<string, unknown>, options: CallOptions): Promise<unknown> {
    const { path } = fillPath(route.path, payload);
    const params = new URLSearchParams();
    for (const key of route.query) {
      const value = payload[key];
      if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
    }
    const body = route.bodyKey !== undefined ? payload[route.bodyKey] : undefined;
    const url = `${REST_PREFIX}${path}${params.size ? `?${params.toString()}` : ''}`;
    const reply = await exchange(this.fetchFn, url, {
      method: route.method, headers: this.headers('Bearer', route, body !== undefined), signal: options.signal,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    if (reply.status >= 200 && reply.status < 300) return reply.body ?? {};
    throw failureOf(reply);
  }

  /** The path whose params are all in the payload, the one with the most params first (`/accounts/{uuid}` over `/accounts`). */
  private static zstackPath(route: ZStackRoute, payload: Record<string, unknown>): string {
    const candidates = [...route.paths].sort((a, b) => pathParams(b).length - pathParams(a).length);
    const fits = candidates.find((p) => pathParams(p).every((name) => payload[name] !== undefined && payload[name] !== ''));
    return fits ?? route.paths[0];
  }

  private async zstack(route: ZStackRoute, payload: Record<string, unknown>, options: CallOptions): Promise<unknown> {
    const { path, used } = fillPath(ApiClient.zstackPath(route, payload), payload);
    const rest = Object.fromEntries(Object.entries(payload).filter(([key, value]) => !used.includes(key) && value !== undefined));
    const hasBody = route.method === 'POST' || route.method === 'PUT';
    const params = route.query ? zstackQueryString(options.query) : new URLSearchParams();
    if (!hasBody && !route.query) for (const [key, value] of Object.entries(rest)) params.set(key, String(value));
    const id = jobId();
    const url = `${ZSTACK_PREFIX}${path}${params.size ? `?${params.toString()}` : ''}`;
    const reply = await exchange(this.fetchFn, url, {
      method: route.method,
      headers: { ...this.headers('OAuth', route, hasBody), 'x-job-uuid': id },
      signal: options.signal,
      ...(hasBody ? { body: JSON.stringify({ [route.bodyKey ?? 'params']: rest }) } : {}),
    });
    if (reply.status === 200) return reply.body ?? {};
    if (reply.status === 202) return this.pollJob(reply.body, id, options.signal);
    throw failureOf(reply);
  }

  /** Polls `/zstack/v1/api-jobs/<id>` (same origin: the location's path) until 200 (the result) or 503 (the error). */
  private async pollJob(accepted: unknown, id: string, signal?: AbortSignal): Promise<unknown> {
    const location = (accepted as { location?: string } | null)?.location;
    // The location's path, on this client's origin (a PUBLIC_URL may name another host; the CSP allows only 'self').
    const path = location ? new URL(location, 'http://origin.invalid').pathname : `${ZSTACK_PREFIX}/api-jobs/${id}`;
    const deadline = Date.now() + (this.options.pollTimeoutMs ?? 120_000);
    let interval = Math.min(100, this.options.pollIntervalMs ?? 500);
    for (;;) {
      await sleep(interval, signal);
      const reply = await exchange(this.fetchFn, path, { method: 'GET', headers: this.headers('OAuth', { access: 'session' }, false), signal });
      if (reply.status === 200) return reply.body ?? {};
      if (reply.status !== 202) throw failureOf(reply);
      if (Date.now() > deadline) throw new UnavailableError(`job ${id} did not finish in time; it may still complete`);
      interval = Math.min(interval * 2, this.options.pollIntervalMs ?? 500);
    }
  }
}
