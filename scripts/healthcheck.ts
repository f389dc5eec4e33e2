import { request } from 'node:http';
import { ControlPlaneClient } from '@cp/client';
import { CONTEXTS, type Context } from '@cp/contracts';

/**
 * The container healthcheck (Dockerfile HEALTHCHECK, docker-compose.yml): exits 0 when the app is
 * healthy, 1 otherwise, with one line saying why.
 *
 *   node dist/scripts/healthcheck.js [app]      app: the argument, else APP (the image's app switch)
 *
 * - `gateway`: `GET http://127.0.0.1:$PORT/health` must answer 200 (NATS connected and every domain
 *   service answering; see apps/gateway/src/health.ts).
 * - a domain service (`identity-svc`, `baremetal-svc`, `platform-svc`, `audit-svc`, or the context
 *   name alone): `<context>.query.Health` over NATS_URL (docs/nats-bus.md) must answer `status: "ok"`.
 *
 * Caveat: the services share one queue group per context, so the Health request is answered by ANY
 * replica, not necessarily the one in this container: the check says "the context is served", and a
 * replica that hangs while its siblings answer stays "healthy". A replica whose process exits is
 * restarted by the restart policy (node is the container's PID 1).
 *
 * HEALTHCHECK_TIMEOUT_MS (default 3000) bounds the whole check.
 */

const timeoutMs = Number(process.env.HEALTHCHECK_TIMEOUT_MS) > 0 ? Number(process.env.HEALTHCHECK_TIMEOUT_MS) : 3000;

function fail(line: string): never {
  process.stderr.write(`healthcheck: ${line}\n`);
  process.exit(1);
}

function gatewayHealth(): Promise<void> {
  const port = Number(process.env.PORT || 8080);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/health', method: 'GET', timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        if (res.statusCode === 200) resolve();
        else reject(new Error(`GET /health answered ${res.statusCode}: ${Buffer.concat(chunks).toString('utf8').slice(0, 300)}`));
      });
    });
    req.on('timeout', () => req.destroy(new Error(`GET /health did not answer within ${timeoutMs} ms`)));
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
    await (target === 'gateway' ? gatewayHealth() : serviceHealth(target));
  } catch (error) {
    fail(`${app}: ${(error as Error).message}`);
  }
  process.exit(0);
}

if (require.main === module) void main();
