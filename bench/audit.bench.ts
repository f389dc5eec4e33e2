import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import type { NatsConnection } from 'nats';
import { ADMIN_ACCOUNT_UUID, accountStreamId } from '@cp/contracts';
import { JetStreamEventStore } from '@cp/event-store';
import { Child, ROOT, busRequest, cleanEnv, connectNats, hex32, logInAdmin, mb, runBench, say, sleep, startStack, table, type Cleanup } from './support';

/**
 * Audit and replay (issue 7), in one run with BENCH_EVENTS (1,000,000) events in JetStream
 * (BENCH_EVENTS / 10 accounts, each created then updated 9 times):
 *   1. `npm run replay -- --context identity`: events/s and the replay process's peak RSS;
 *   2. identity-svc cold start to serving queries, without a checkpoint and with one;
 *   3. Audit API page latency (GET /api/v1/audit/events, 100 a page) p99 at 16 connections.
 *
 *   npm run bench:audit        knobs: BENCH_EVENTS (1000000), BENCH_DURATION_S (10)
 */
const TAG = 'bench:audit';
const EVENTS = Number(process.env.BENCH_EVENTS || 1_000_000);
const DURATION_S = Number(process.env.BENCH_DURATION_S || 10);
const PER_ACCOUNT = 10;

async function appendEvents(url: string, count: number): Promise<number> {
  const store = await JetStreamEventStore.connect({ servers: url, context: 'identity', connectionName: 'bench-audit-loader' });
  const t0 = performance.now();
  try {
    const accounts = Math.ceil(count / PER_ACCOUNT);
    let next = 0;
    const worker = async () => {
      while (next < accounts) {
        const i = next++;
        const uuid = hex32();
        for (let k = 0; k < PER_ACCOUNT && i * PER_ACCOUNT + k < count; k++) {
          const id = hex32();
          const now = new Date().toISOString();
          const event = k === 0
            ? { type: 'AccountCreated', data: { uuid, name: `audit-${i}`, type: 'Normal', state: 'Enabled', passwordHash: `$scrypt$ln=15,r=8,p=1$${id}$${id}`, createDate: now } }
            : { type: 'AccountUpdated', data: { uuid, description: `update ${k}`, lastOpDate: now } };
          await store.append(accountStreamId(uuid), [event], 'any', {
            commitId: id, metadata: { commandId: id, correlationId: id, causationId: id, actor: { accountUuid: ADMIN_ACCOUNT_UUID, via: 'rest' }, occurredAt: now },
          });
        }
        if (i % 20_000 === 0 && i > 0) say(TAG, `  ${i * PER_ACCOUNT} events appended`);
      }
    };
    await Promise.all(Array.from({ length: 256 }, worker));
  } finally {
    await store.close();
  }
  return (performance.now() - t0) / 1000;
}

/** Runs `npm run replay` as a child; its own figures, the wall time, and its peak RSS (VmHWM). */
function runReplay(natsUrl: string): Promise<{ seconds: number; peakRss: number; line: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'scripts/replay.ts', '--context', 'identity', '--nats', natsUrl], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let peakRss = 0;
    const timer = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peakRss = Math.max(peakRss, Number(m[1]) * 1024);
      } catch {
        // exited
      }
    }, 100);
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    child.on('exit', (code) => {
      clearInterval(timer);
      if (code !== 0) return reject(new Error(`replay exited ${code}:\n${out}`));
      resolve({ seconds: (performance.now() - t0) / 1000, peakRss, line: out.split('\n').find((l) => l.includes('events replayed')) ?? '' });
    });
  });
}

async function coldStart(cleanup: Cleanup, nc: NatsConnection, env: NodeJS.ProcessEnv): Promise<{ seconds: number; child: Child }> {
  const child = cleanup.child(Child.spawn('identity-svc', 'apps/identity-svc/src/main.ts', env));
  for (;;) {
    if (!child.alive) throw new Error(`identity-svc exited:\n${child.output()}`);
    const reply = await busRequest(nc, 'identity.query.Health', {}, 1000).catch(() => null);
    if (reply?.ok) return { seconds: (performance.now() - child.startedAt) / 1000, child };
    await sleep(50);
  }
}

runBench(TAG, 30 * 60_000, async (cleanup) => {
  say(TAG, `node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'})`);
  const nats = await cleanup.natsServer();
  say(TAG, `appending ${EVENTS} events...`);
  const appendS = await appendEvents(nats.url, EVENTS);
  say(TAG, `appended in ${appendS.toFixed(1)} s (${Math.round(EVENTS / appendS)}/s)`);

  const replay = await runReplay(nats.url);
  say(TAG, `replay: ${replay.line.trim()}`);
  const rate = Number(/\((\d+)\/s\)/.exec(replay.line)?.[1] ?? NaN);

  const nc = cleanup.connection(await connectNats(nats.url, 'bench-audit-probe'));
  const base = cleanEnv({ NATS_URL: nats.url });
  const cold = await coldStart(cleanup, nc, { ...base, CHECKPOINT_INTERVAL_SEC: '0' });
  await cold.child.stop();
  // A start that writes its checkpoint (on stop), then the measured start from it.
  const writer = await coldStart(cleanup, nc, { ...base, CHECKPOINT_INTERVAL_SEC: '3600' });
  await writer.child.stop();
  const warm = await coldStart(cleanup, nc, { ...base, CHECKPOINT_INTERVAL_SEC: '3600' });
  await warm.child.stop();
  say(TAG, `identity-svc to serving: ${cold.seconds.toFixed(2)} s without a checkpoint, ${warm.seconds.toFixed(2)} s with one`);

  const stack = await startStack(cleanup, nats, 10 * 60_000);
  const session = await logInAdmin(stack.baseUrl);
  const result = await autocannon({
    url: `${stack.baseUrl}/api/v1/audit/events?limit=100&after=${Math.floor(EVENTS / 2)}`, connections: 16, duration: DURATION_S,
    headers: { Authorization: `Bearer ${session}` }, timeout: 10,
  });

  process.stdout.write(`\n${table([
    ['figure', 'value'],
    ['events in JetStream', EVENTS],
    ['replay (npm run replay -- --context identity)', `${Number.isNaN(rate) ? '?' : rate.toLocaleString('en-US')} events/s (target 100,000/s), wall ${replay.seconds.toFixed(1)} s`],
    ['replay peak RSS', `${mb(replay.peakRss)} MiB`],
    ['identity-svc cold start → serving, no checkpoint', `${cold.seconds.toFixed(2)} s`],
    ['identity-svc cold start → serving, from a checkpoint', `${warm.seconds.toFixed(2)} s`],
    ['Audit API page (100 events), 16 connections', `${(result.requests.total / result.duration).toFixed(0)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, non-2xx ${result.non2xx}`],
  ])}\n`);
});
