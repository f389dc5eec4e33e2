import { request } from 'node:http';
import { ControlPlaneClient } from '@cp/client';
import { CONTEXTS, type Context } from '@cp/contracts';

/**
 * The container healthcheck (Dockerfile HEALTHCHECK, docker-compose.yml): exits 0 when the app is
 * healthy, 1 otherwise, with one line saying why.
 *
 *   node dist/scripts/healthcheck.js [app]      app: the argument, else APP (the image's app switch)
 *
 * - `gateway`: `GET http://127.0.0.1:$PORT/health/ready` must answer 200 (its NATS connection
 *   answers; see apps/gateway/src/observability/observability-routes.ts). The aggregate `GET /health`
 *   (every domain service answering) is not the container's health: a service that is down must not
 *   take every gateway out of the load balancer.
 * - a domain service (`identity-svc`, `baremetal-svc`, `platform-svc`, `audit-svc`, or the context
 *   name alone), with METRICS_PORT set (the image sets 9100): `GET http://127.0.0.1:$METRICS_PORT/health/ready`
 *   must answer 200: THIS replica's NATS connections, event store and read models (libs/bus/src/service-probes.ts).
 * - a domain service without METRICS_PORT: `<context>.query.Health` over NATS_URL (docs/nats-bus.md)
 *   must answer `status: "ok"`. Caveat: the services share one queue group per context, so that
 *   request is answered by ANY replica: it says "the context is served", and a replica that hangs
 *   while its siblings answer stays "healthy".
 *
 * HEALTHCHECK_TIMEOUT_MS (default 3000) bounds the whole check.
 */

const timeoutMs = Number(process.env.HEALTHCHECK_TIMEOUT_MS) > 0 ? Number(process.env.HEALTHCHECK_TIMEOUT_MS) : 3000;

function fail(line: string): never {
  process.stderr.write(`healthcheck: ${line}\n`);
  process.exit(1);
}

/** `GET <path>` on the loopback `port` must answer 200. */
function httpReady(port: number, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        if (res.statusCode === 200) resolve();
        else reject(new Error(`GET ${path} answered ${res.statusCode}: ${Buffer.concat(chunks).toString('utf8').slice(0, 300)}`));
      });
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${path} did not answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

async function serviceHealth(context: Context): Promise<void> {
  const natsUrl = process.env.NATS_URL || 'nats://127.0.0.1:4222';
  const client = await ControlPlaneClient.connect(natsUrl, { name: `healthcheck-${context}`, timeout: timeoutMs, reconnect: false });
  try {
    const result = await client.health(context, { timeoutMs });
    if (result.status !== 'ok') throw new Error(`${context}.query.Health answered ${JSON.stringify(result).slice(0, 300)}`);
  } finally {
    await client.close().catch(() => undefined);
  }
}

export function contextOf(app: string): Context | 'gateway' | null {
  if (app === 'gateway') return 'gateway';
  const name = app.endsWith('-svc') ? app.slice(0, -'-svc'.length) : app;
  return (CONTEXTS as readonly string[]).includes(name) ? (name as Context) : null;
}

async function main(): Promise<void> {
  const app = process.argv[2] || process.env.APP || '';
  const target = contextOf(app);
  if (!target) fail(`unknown app ${JSON.stringify(app)}: give gateway, ${CONTEXTS.map((c) => `${c}-svc`).join(', ')} (argument or APP)`);
  // A hung connect or request must not outlive the check.
  setTimeout(() => fail(`${app} did not answer within ${timeoutMs} ms`), timeoutMs + 1000).unref();
  try {
    const metricsPort = process.env.METRICS_PORT ? Number(process.env.METRICS_PORT) : null;
    if (target === 'gateway') await httpReady(Number(process.env.PORT || 8080), '/health/ready');
    else if (metricsPort) await httpReady(metricsPort, '/health/ready');
    else await serviceHealth(target);
  } catch (error) {
    fail(`${app}: ${(error as Error).message}`);
  }
  process.exit(0);
}

if (require.main === module) void main();
