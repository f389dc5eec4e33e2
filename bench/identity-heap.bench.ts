import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { ADMIN_ACCOUNT_UUID, accountStreamId, type AccountEvent } from '@cp/contracts';
import { JetStreamEventStore } from '@cp/event-store';
import type { NatsConnection } from 'nats';
import { Child, busRequest, cleanEnv, connectNats, hex32, mb, runBench, say, sleep, table, type Cleanup } from './support';

/**
 * identity-svc's heap holding 100,000 accounts (target: heapUsed < 150 MB).
 *
 *   node -r @swc-node/register bench/identity-heap.bench.ts      (npm run bench:heap)
 *
 * Creating that many accounts through the API would cost 100,000 slow hashes, so the
 * `AccountCreated` events are appended straight into a private nats-server's event store with the
 * JetStream adapter (realistic `$scrypt$...` hashes made of random bytes). identity-svc then starts
 * as a child process (`--expose-gc`) and catches up; its heap is read from its health subject
 * (`identity.query.Health`, after a forced GC). A first, empty start gives the baseline heap.
 *
 * Knobs: BENCH_ACCOUNTS (100000), BENCH_APPEND_PARALLEL (256).
 */
const TAG = 'bench:heap';
const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS || 100_000);
const PARALLEL = Number(process.env.BENCH_APPEND_PARALLEL || 256);
const TARGET_HEAP_BYTES = 150 * 1_000_000;
const MAX_RUN_MS = 15 * 60_000;
const APPEND_TIMEOUT_MS = 5 * 60_000;
const CATCH_UP_TIMEOUT_MS = 10 * 60_000;
const HEALTH = 'identity.query.Health';

interface Health {
  status: string;
  position: string | null;
  accounts: number;
  heapUsedBytes?: number;
  rssBytes?: number;
}

if (!Number.isInteger(ACCOUNTS) || ACCOUNTS < 1 || ACCOUNTS > 1_000_000) throw new Error('BENCH_ACCOUNTS must be in [1, 1000000]');
if (!Number.isInteger(PARALLEL) || PARALLEL < 1 || PARALLEL > 4096) throw new Error('BENCH_APPEND_PARALLEL must be in [1, 4096]');

/** The real format of PasswordHasher.hash (16-byte salt, 32-byte key, base64), from random bytes. */
const fakeScryptHash = () => `$scrypt$ln=15,r=8,p=1$${randomBytes(16).toString('base64')}$${randomBytes(32).toString('base64')}`;

function accountCreated(i: number, uuid: string, now: string): AccountEvent {
  const n = String(i).padStart(6, '0');
  return {
    type: 'AccountCreated',
    data: {
      uuid, name: `heap-account-${n}`,
      description: `bench account ${n} for heap measurement`, // 40 characters
      type: 'Normal', state: 'Enabled', passwordHash: fakeScryptHash(), createDate: now,
    },
  };
}

async function appendAccounts(natsUrl: string, count: number): Promise<{ seconds: number }> {
  const store = await JetStreamEventStore.connect({ servers: natsUrl, context: 'identity', connectionName: 'bench-heap-loader' });
  try {
    const t0 = performance.now();
    const deadline = Date.now() + APPEND_TIMEOUT_MS;
    let next = 0;
    let done = 0;
    const worker = async () => {
      while (next < count) {
        if (Date.now() > deadline) throw new Error(`appending ${count} events took longer than ${APPEND_TIMEOUT_MS / 1000} s`);
        const i = next++;
        const uuid = hex32();
        const commandId = hex32();
        const now = new Date().toISOString();
        const event = accountCreated(i, uuid, now);
        await store.append(accountStreamId(uuid), [{ type: event.type, data: event.data }], 'noStream', {
          commitId: commandId,
          metadata: {
            commandId, correlationId: commandId, causationId: commandId,
            actor: { accountUuid: ADMIN_ACCOUNT_UUID, via: 'rest' }, occurredAt: now,
          },
        });
        if (++done % 20_000 === 0) say(TAG, `  appended ${done} (${(done / ((performance.now() - t0) / 1000)).toFixed(0)}/s)`);
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL, count) }, worker));
    return { seconds: (performance.now() - t0) / 1000 };
  } finally {
    await store.close();
  }
}

/** Polls the health subject until identity-svc answers (it subscribes only after catching up). */
async function waitServing(nc: NatsConnection, child: Child, timeoutMs: number): Promise<{ at: number; health: Health }> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!child.alive) throw new Error(`identity-svc exited before serving:\n${child.output()}`);
    try {
      const reply = await busRequest<Health>(nc, HEALTH, {}, 1000);
      const at = performance.now();
      if (reply.ok) return { at, health: reply.result };
    } catch {
      // no responders yet
    }
    await sleep(50);
  }
  throw new Error(`identity-svc did not serve within ${timeoutMs / 1000} s:\n${child.output()}`);
}

async function health(nc: NatsConnection, gc: boolean): Promise<Health> {
  const reply = await busRequest<Health>(nc, HEALTH, gc ? { gc: true } : {}, 10_000);
  if (!reply.ok) throw new Error(`health failed: ${JSON.stringify(reply.error)}`);
  return reply.result;
}

/** Heap and RSS after a forced GC, settled: the lowest of three readings a second apart. */
async function settledMemory(nc: NatsConnection, pid: number | undefined): Promise<{ heapUsed: number | null; rss: number; health: Health }> {
  let best: Health | null = null;
  for (let i = 0; i < 3; i++) {
    await sleep(1000);
    const h = await health(nc, true);
    if (!best || (h.heapUsedBytes ?? 0) < (best.heapUsedBytes ?? 0)) best = h;
  }
  const h = best!;
  return { heapUsed: h.heapUsedBytes ?? null, rss: h.rssBytes ?? procRss(pid), health: h };
}

/** RSS from /proc, for when the health result does not carry it. */
function procRss(pid: number | undefined): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

function startIdentity(cleanup: Cleanup, natsUrl: string): Child {
  return cleanup.child(Child.spawn('identity-svc', 'apps/identity-svc/src/main.ts', cleanEnv({ NATS_URL: natsUrl }), ['--expose-gc']));
}

runBench(TAG, MAX_RUN_MS, async (cleanup) => {
  const started = Date.now();
  say(TAG, `node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'})`);
  const nats = await cleanup.natsServer();
  say(TAG, `nats-server ${nats.versionText} on ${nats.url}, temporary store ${nats.storeDir}`);
  const nc = cleanup.connection(await connectNats(nats.url, 'bench-heap-probe'));

  // 1. Baseline: identity-svc on an empty store (it creates the built-in admin, one event).
  const empty = startIdentity(cleanup, nats.url);
  await waitServing(nc, empty, 120_000);
  const base = await settledMemory(nc, empty.pid);
  if (base.heapUsed === null) say(TAG, 'NOTE: the health result has no heapUsedBytes: heap cannot be read (rss from /proc)');
  say(TAG, `baseline (admin only, ${base.health.accounts} account): heapUsed ${base.heapUsed === null ? 'n/a' : mb(base.heapUsed)} MiB, rss ${mb(base.rss)} MiB`);
  await cleanup.release('identity-svc');

  // 2. The accounts, straight into the event store.
  say(TAG, `appending ${ACCOUNTS} AccountCreated events, ${PARALLEL} in flight...`);
  const appended = await appendAccounts(nats.url, ACCOUNTS);
  say(TAG, `appended ${ACCOUNTS} events in ${appended.seconds.toFixed(1)} s (${(ACCOUNTS / appended.seconds).toFixed(0)}/s)`);
  const expected = ACCOUNTS + 1;

  // 3. identity-svc catching up from the start of the log.
  const svc = startIdentity(cleanup, nats.url);
  const nestStart = svc.whenLine(/Starting Nest application/);
  const serving = await waitServing(nc, svc, CATCH_UP_TIMEOUT_MS);
  const spawnToServingS = (serving.at - svc.startedAt) / 1000;
  const nestStartAt = await Promise.race([nestStart, sleep(0).then(() => NaN)]);
  const nestToServingS = (serving.at - nestStartAt) / 1000;
  say(TAG, `serving ${spawnToServingS.toFixed(2)} s after spawn (accounts ${serving.health.accounts}, position ${serving.health.position})`);
  const waitDeadline = Date.now() + 60_000;
  let h = serving.health;
  while (h.accounts < expected) {
    if (Date.now() > waitDeadline) throw new Error(`identity-svc holds ${h.accounts} accounts, expected ${expected}`);
    await sleep(200);
    h = await health(nc, false);
  }
  const mem = await settledMemory(nc, svc.pid);
  const events = Number(mem.health.position ?? 0) || expected;

  const heapPass = mem.heapUsed !== null && mem.heapUsed < TARGET_HEAP_BYTES;
  const perAccount = mem.heapUsed !== null && base.heapUsed !== null ? (mem.heapUsed - base.heapUsed) / ACCOUNTS : null;
  process.stdout.write('\n');
  process.stdout.write(`identity-svc heap with ${mem.health.accounts} accounts (${ACCOUNTS} appended + admin), node --expose-gc, after global.gc()\n\n`);
  process.stdout.write(`${table([
    ['figure', 'value'],
    ['accounts in the read model', mem.health.accounts],
    ['heapUsed', mem.heapUsed === null ? 'n/a (no heapUsedBytes in health result)' : `${mb(mem.heapUsed)} MiB (${(mem.heapUsed / 1e6).toFixed(1)} MB)`],
    ['rss', `${mb(mem.rss)} MiB (${(mem.rss / 1e6).toFixed(1)} MB)`],
    ['baseline heapUsed (admin only)', base.heapUsed === null ? 'n/a' : `${mb(base.heapUsed)} MiB`],
    ['baseline rss (admin only)', `${mb(base.rss)} MiB`],
    ['heap per account (above baseline)', perAccount === null ? 'n/a' : `${perAccount.toFixed(0)} bytes`],
    ['log position after catch-up', String(mem.health.position)],
    ['append into the event store', `${appended.seconds.toFixed(1)} s (${(ACCOUNTS / appended.seconds).toFixed(0)} events/s, ${PARALLEL} in flight)`],
    ['catch-up: process spawn → serving', `${spawnToServingS.toFixed(2)} s (${(events / spawnToServingS).toFixed(0)} events/s)`],
    ['catch-up: Nest start → serving', Number.isNaN(nestToServingS) ? 'n/a' : `${nestToServingS.toFixed(2)} s (${(events / nestToServingS).toFixed(0)} events/s)`],
    ['target heapUsed < 150 MB (150e6 bytes)', mem.heapUsed === null ? 'n/a' : heapPass ? 'PASS' : 'MISS'],
  ])}\n\n`);

  const summary = {
    bench: 'identity-heap', at: new Date().toISOString(), node: process.version, cpus: cpus().length, natsServer: nats.versionText,
    accounts: mem.health.accounts, events,
    heapUsedBytes: mem.heapUsed, rssBytes: mem.rss,
    baseline: { heapUsedBytes: base.heapUsed, rssBytes: base.rss },
    heapPerAccountBytes: perAccount === null ? null : Math.round(perAccount),
    append: { seconds: Number(appended.seconds.toFixed(2)), eventsPerSec: Math.round(ACCOUNTS / appended.seconds), parallel: PARALLEL },
    catchUp: {
      spawnToServingS: Number(spawnToServingS.toFixed(2)), eventsPerSec: Math.round(events / spawnToServingS),
      nestStartToServingS: Number.isNaN(nestToServingS) ? null : Number(nestToServingS.toFixed(2)),
      nestEventsPerSec: Number.isNaN(nestToServingS) ? null : Math.round(events / nestToServingS),
    },
    target: { maxHeapUsedBytes: TARGET_HEAP_BYTES, verdict: mem.heapUsed === null ? 'n/a' : heapPass ? 'PASS' : 'MISS' },
    runSeconds: Math.round((Date.now() - started) / 1000),
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
});
