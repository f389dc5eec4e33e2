import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { metricsText } from './metrics';

/** One part of readiness: null when it is fine, else why not (one line). */
export interface ReadinessCheck {
  name: string;
  check(): Promise<string | null>;
  /** Its own bound (else the one readiness() is given). */
  timeoutMs?: number;
}

export interface ReadinessReport {
  status: 'ready' | 'not ready';
  /** Each check's answer: `ok` or its reason. */
  checks: Record<string, string>;
  /** The reasons of the failed checks, in order. */
  reasons: string[];
}

/** Runs the checks at once, each bounded by its `timeoutMs` or this one (a check that does not answer in time fails with that reason). */
export async function readiness(checks: readonly ReadinessCheck[], timeoutMs = 2500): Promise<ReadinessReport> {
  const answers = await Promise.all(checks.map(async ({ name, check, timeoutMs: own }) => {
    const bound = own ?? timeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<string>((resolve) => { timer = setTimeout(() => resolve(`${name}: no answer within ${bound} ms`), bound); });
    const answer = await Promise.race([check().catch((error: unknown) => `${name}: ${error instanceof Error ? error.message : String(error)}`), late])
      .finally(() => clearTimeout(timer));
    return [name, answer] as const;
  }));
  return readinessOf(answers);
}

/** The report of the checks' answers (pure). */
export function readinessOf(answers: ReadonlyArray<readonly [string, string | null]>): ReadinessReport {
  const reasons = answers.flatMap(([, answer]) => (answer === null ? [] : [answer]));
  return { status: reasons.length === 0 ? 'ready' : 'not ready', checks: Object.fromEntries(answers.map(([name, answer]) => [name, answer ?? 'ok'])), reasons };
}

/** `GET /health/live`: the process answers. */
export const LIVE_BODY = { status: 'live' } as const;

export interface ProbeServerOptions {
  port: number;
  host?: string;
  /** What `/health/ready` reports. */
  ready: () => Promise<ReadinessReport>;
}

export interface ProbeServer {
  /** The port it listens on (the one chosen when asked for 0). */
  readonly port: number;
  close(): Promise<void>;
}

/**
 * A service's own HTTP listener (METRICS_PORT): `GET /metrics` (Prometheus text), `GET /health/live`
 * (200 while the process answers) and `GET /health/ready` (200 when every check passes, else 503 with
 * the reasons). Nothing else: any other path is 404.
 */
export async function startProbeServer(options: ProbeServerOptions): Promise<ProbeServer> {
  const server = createServer((req, res) => void answer(req, res, options).catch((error: unknown) => {
    if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', `${(error as Error)?.message ?? String(error)}\n`);
  }));
  // Keep-alive scrapes must not hold close() up.
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return { port: (server.address() as AddressInfo).port, close: () => closeServer(server) };
}

async function answer(req: IncomingMessage, res: ServerResponse, options: ProbeServerOptions): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', 'only GET\n');
  switch (path) {
    case '/metrics': {
      const { contentType, text } = await metricsText();
      return send(res, 200, contentType, text);
    }
    case '/health/live':
      return send(res, 200, 'application/json; charset=utf-8', JSON.stringify(LIVE_BODY));
    case '/health/ready': {
      const report = await options.ready();
      return send(res, report.status === 'ready' ? 200 : 503, 'application/json; charset=utf-8', JSON.stringify(report));
    }
    default:
      return send(res, 404, 'text/plain; charset=utf-8', 'GET /metrics, /health/live or /health/ready\n');
  }
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
