import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { connect } from 'nats';

/**
 * The HTTP side of the ceilings (a child process of http.bench.ts, as the gateway is one in the
 * product): a bare Fastify server whose routes do one NATS request each and return the reply,
 * nothing else (no session, no validation, no job record).
 *   GET /q?...      → request on `<prefix>.query` (fixed inventory)       — the query ceiling
 *   PUT /c/:id      → request on `<prefix>.cmd`   (JS publish + KV put)    — the command ceiling
 * A reply with the header `Bench-Status: 500` (the responder failed) is answered 500.
 * Listens on HOST:PORT, prints `ready`, stops on SIGTERM.
 */
const NATS_URL = process.env.NATS_URL ?? '';
const PREFIX = process.env.CEILING_PREFIX ?? 'benchceil';
const PORT = Number(process.env.PORT);
const HOST = process.env.HOST ?? '127.0.0.1';
const TIMEOUT_MS = 10_000;

async function main(): Promise<void> {
  const nc = await connect({ servers: NATS_URL, name: 'bench-ceiling-http', maxReconnectAttempts: 10, noAsyncTraces: true });
  const app = Fastify({ logger: false });

  app.get('/q', async (req, reply) => {
    const envelope = { commandId: req.headers['x-request-id'] ?? '', payload: req.query };
    const res = await nc.request(`${PREFIX}.query`, Buffer.from(JSON.stringify(envelope)), { timeout: TIMEOUT_MS });
    return reply.type('application/json; charset=utf-8').send(Buffer.from(res.data));
  });

  app.put<{ Params: { id: string } }>('/c/:id', async (req, reply) => {
    const envelope = { commandId: req.headers['x-job-uuid'] ?? randomUUID().replace(/-/g, ''), uuid: req.params.id, payload: req.body };
    const res = await nc.request(`${PREFIX}.cmd`, Buffer.from(JSON.stringify(envelope)), { timeout: TIMEOUT_MS });
    if (res.headers?.get('Bench-Status') === '500') reply.code(500);
    return reply.type('application/json; charset=utf-8').send(Buffer.from(res.data));
  });

  await app.listen({ port: PORT, host: HOST });
  process.stdout.write('ready\n');

  const stop = async () => {
    await app.close().catch(() => undefined);
    await nc.drain().catch(() => undefined);
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

main().catch((error) => {
  process.stderr.write(`ceiling-http: ${(error as Error).stack}\n`);
  process.exit(1);
});
