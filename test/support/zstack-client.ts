import { randomUUID } from 'node:crypto';
import { ADMIN_PASSWORD } from './stack';

export interface HttpResult {
  status: number;
  text: string;
  /** The parsed body, when it is JSON. */
  json: any;
  headers: Headers;
}

export const newJobId = () => randomUUID().replace(/-/g, '');

/** A plain HTTP client for the ZStack API, the way curl or the SDKs talk to it. */
export class ZStackClient {
  constructor(readonly baseUrl: string, public session?: string) {}

  async send(method: string, path: string, options: { body?: unknown; rawBody?: string; headers?: Record<string, string>; timeoutMs?: number } = {}): Promise<HttpResult> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (this.session && !('Authorization' in headers)) headers.Authorization = `OAuth ${this.session}`;
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['Content-Type'] ??= 'application/json;charset=UTF-8';
    }
    const signal = options.timeoutMs === undefined ? undefined : AbortSignal.timeout(options.timeoutMs);
    const res = await fetch(this.baseUrl + path, { method, headers, body, signal });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, text, json, headers: res.headers };
  }

  /** Follows a 202 to its outcome, as the SDKs do. */
  async poll(location: string, timeoutMs = 10_000): Promise<HttpResult> {
    const path = new URL(location).pathname;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const r = await this.send('GET', path, { headers: { 'X-JSON-Schema': 'true' } });
      if (r.status !== 202 || Date.now() > deadline) return r;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** An async API call followed to its end (200 at once, or 202 then the poll). */
  async job(method: string, path: string, body?: unknown, jobId = newJobId()): Promise<HttpResult> {
    const first = await this.send(method, path, { body, headers: { 'X-Job-UUID': jobId } });
    return first.status === 202 ? this.poll(first.json.location) : first;
  }

  async login(name = 'admin', password = ADMIN_PASSWORD): Promise<string> {
    const r = await this.send('PUT', '/zstack/v1/accounts/login', { body: { logInByAccount: { accountName: name, password } } });
    if (r.status !== 200) throw new Error(`login of ${name} failed: ${r.status} ${r.text}`);
    this.session = r.json.inventory.uuid as string;
    return this.session;
  }
}
