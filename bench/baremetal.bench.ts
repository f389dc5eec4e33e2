import autocannon from 'autocannon';
import { createHash } from 'node:crypto';
import { cpus } from 'node:os';
import type { NatsConnection } from 'nats';
import { ADMIN_ACCOUNT_UUID, preconfigurationTemplateStreamId } from '@cp/contracts';
import { JetStreamEventStore } from '@cp/event-store';
import { COMMON_PARAMS } from '@cp/domain/baremetal';
import { Child, busRequest, connectNats, hex32, job, logInAdmin, mb, runBench, say, sleep, startStack, table, type Cleanup } from './support';

/**
 * Baremetal preconfiguration templates (issue 5):
 *   1. QueryPreconfigurationTemplate requests/s and p99 at 64 connections, with `content` in the
 *      reply and with `fields` leaving it out, over 11 predefined + BENCH_TEMPLATES added templates
 *      of 4 KiB (added through the API);
 *   2. baremetal-svc's heap holding 10,000 templates of 4 KiB (distinct contents), appended straight
 *      into the event store, the service restarted with --expose-gc and catching up.
 *
 *   npm run bench:baremetal          knobs: BENCH_DURATION_S (10), BENCH_TEMPLATES (200), BENCH_HEAP_TEMPLATES (10000)
 */
const TAG = 'bench:baremetal';
const DURATION_S = Number(process.env.BENCH_DURATION_S || 10);
const ADDED = Number(process.env.BENCH_TEMPLATES || 200);
const HEAP_TEMPLATES = Number(process.env.BENCH_HEAP_TEMPLATES || 10_000);
const CONNECTIONS = 64;
const BASE = '/zstack/v1/baremetal/preconfigurations';
const HEALTH = 'baremetal.query.Health';

/** A 4 KiB kickstart-like content, distinct per `n`, that passes §5's rules. */
function content(n: number): string {
  const head = `# bench template ${n}\n${COMMON_PARAMS.map((p) => `# {{ ${p} }}`).join('\n')}\n`;
  const line = `# filler line for template ${String(n).padStart(6, '0')} ${'x'.repeat(20)}\n`;
  let text = head;
  while (text.length + line.length <= 4096) text += line;
  return text.padEnd(4096, '#');
}

async function load(name: string, url: string, session: string): Promise<{ name: string; perSec: number; p99: number; bytesPerReply: number; non2xx: number }> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S, headers: { Authorization: `OAuth ${session}` }, timeout: 10 });
  const perSec = result.requests.total / result.duration;
  const m = { name, perSec, p99: result.latency.p99, bytesPerReply: result.throughput.total / Math.max(1, result.requests.total), non2xx: result.non2xx };
  say(TAG, `${name}: ${perSec.toFixed(0)}/s, p99 ${m.p99} ms, ${m.bytesPerReply.toFixed(0)} bytes a reply, non-2xx ${m.non2xx}`);
  return m;
}

async function appendTemplates(natsUrl: string, count: number): Promise<number> {
  const store = await JetStreamEventStore.connect({ servers: natsUrl, context: 'baremetal', connectionName: 'bench-baremetal-loader' });
  const t0 = performance.now();
  try {
    let next = 0;
    const worker = async () => {
      while (next < count) {
        const i = next++;
        const uuid = hex32();
        const text = content(100_000 + i);
        const id = hex32();
        const now = new Date().toISOString();
        await store.append(preconfigurationTemplateStreamId(uuid), [{
          type: 'PreconfigurationTemplateAdded',
          data: {
            uuid, name: `heap-${i}`, distribution: 'centos-x86_64', type: 'kickstart', content: text,
            md5sum: createHash('md5').update(text).digest('hex'), customParams: [], isPredefined: false, state: 'Enabled',
            ownerAccountUuid: ADMIN_ACCOUNT_UUID, createDate: now,
          },
        }], 'noStream', { commitId: id, metadata: { commandId: id, correlationId: id, causationId: id, actor: { accountUuid: ADMIN_ACCOUNT_UUID, via: 'system' }, occurredAt: now } });
      }
    };
    await Promise.all(Array.from({ length: 64 }, worker));
  } finally {
    await store.close();
  }
  return (performance.now() - t0) / 1000;
}

interface Health { templates: number; distinctContents: number; heapUsedBytes: number; rssBytes: number; position: string }

async function serving(nc: NatsConnection, child: Child, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!child.alive) throw new Error(`baremetal-svc exited:\n${child.output()}`);
    const reply = await busRequest<Health>(nc, HEALTH, {}, 1000).catch(() => null);
    if (reply?.ok) return performance.now();
    await sleep(50);
  }
  throw new Error('baremetal-svc did not serve in time');
}

async function settledHeap(nc: NatsConnection): Promise<Health> {
  let best: Health | null = null;
  for (let i = 0; i < 3; i++) {
    await sleep(1000);
    const reply = await busRequest<Health>(nc, HEALTH, { gc: true }, 10_000);
    if (reply.ok && (!best || reply.result.heapUsedBytes < best.heapUsedBytes)) best = reply.result;
  }
  return best!;
}

runBench(TAG, 10 * 60_000, async (cleanup: Cleanup) => {
  say(TAG, `node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'})`);
  const nats = await cleanup.natsServer();
  const stack = await startStack(cleanup, nats);
  const session = await logInAdmin(stack.baseUrl);

  say(TAG, `adding ${ADDED} templates of 4 KiB through the API...`);
  let next = 0;
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (next < ADDED) {
      const i = next++;
      const r = await job(stack.baseUrl, session, 'POST', BASE, { params: { name: `bench-${i}`, distribution: 'centos-x86_64', type: 'kickstart', content: content(i) } });
      if (r.status !== 200) throw new Error(`add failed: ${r.status} ${r.text}`);
    }
  }));

  const withContent = await load('with content (limit=20)', `${stack.baseUrl}${BASE}?limit=20`, session);
  const without = await load('fields without content (limit=20)', `${stack.baseUrl}${BASE}?limit=20&fields=uuid,name,md5sum,state`, session);

  // Heap: 10,000 templates of 4 KiB in the log, baremetal-svc restarted with --expose-gc.
  const nc = cleanup.connection(await connectNats(nats.url, 'bench-baremetal-probe'));
  await stack.services['baremetal-svc'].stop();
  say(TAG, `appending ${HEAP_TEMPLATES} PreconfigurationTemplateAdded events of 4 KiB...`);
  const appendS = await appendTemplates(nats.url, HEAP_TEMPLATES);
  const svc = cleanup.child(Child.spawn('baremetal-svc', 'apps/baremetal-svc/src/main.ts', stack.env, ['--expose-gc']));
  const ready = await serving(nc, svc, 5 * 60_000);
  const heap = await settledHeap(nc);
  const contentBytes = HEAP_TEMPLATES * 4096;

  process.stdout.write(`\n${table([
    ['figure', 'value'],
    [`QueryPreconfigurationTemplate with content, ${CONNECTIONS} conns`, `${withContent.perSec.toFixed(0)} req/s, p99 ${withContent.p99} ms, ${withContent.bytesPerReply.toFixed(0)} B/reply`],
    [`QueryPreconfigurationTemplate without content, ${CONNECTIONS} conns`, `${without.perSec.toFixed(0)} req/s, p99 ${without.p99} ms, ${without.bytesPerReply.toFixed(0)} B/reply`],
    ['templates in the read model', heap.templates],
    ['distinct contents held', heap.distinctContents],
    ['baremetal-svc heapUsed (after gc)', `${mb(heap.heapUsedBytes)} MiB`],
    ['baremetal-svc rss', `${mb(heap.rssBytes)} MiB`],
    ['raw content of the templates', `${mb(contentBytes)} MiB`],
    ['heap per template', `${(heap.heapUsedBytes / heap.templates).toFixed(0)} bytes`],
    ['append of the templates', `${appendS.toFixed(1)} s`],
    ['restart → serving (catch-up)', `${((ready - svc.startedAt) / 1000).toFixed(2)} s`],
  ])}\n`);
});
