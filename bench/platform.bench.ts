import { cpus } from 'node:os';
import type { NatsConnection } from 'nats';
import { startFakeVSphere } from '../test/support/fake-clouds';
import { busRequest, connectNats, http, logInAdmin, runBench, say, sleep, startStack, table, type Cleanup } from './support';

/**
 * Federation platforms (issue 6):
 *   1. TestConnectionDetailed wall time against local endpoints (p50, p99): the vSphere double and our
 *      own gateway as a zstack endpoint, sequential and at 8 connections;
 *   2. how many platforms one platform-svc probes per minute at the default concurrency (8), with
 *      BENCH_PLATFORMS (1,000) platforms registered against vSphere doubles on 127.0.0.1.
 *
 *   npm run bench:platform        knobs: BENCH_TESTS (300), BENCH_PLATFORMS (1000), BENCH_WINDOW_S (30)
 */
const TAG = 'bench:platform';
const TESTS = Number(process.env.BENCH_TESTS || 300);
const PLATFORMS = Number(process.env.BENCH_PLATFORMS || 1000);
const WINDOW_S = Number(process.env.BENCH_WINDOW_S || 30);
const USER = 'administrator@vsphere.local';
const PASSWORD = 'bench-vsphere-pw';

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function timeTests(url: string, session: string, body: unknown, count: number, concurrency: number) {
  const times: number[] = [];
  let failed = 0;
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next++ < count) {
      const t0 = performance.now();
      const r = await http('POST', `${url}/api/v1/platforms/test-connection`, body, { Authorization: `Bearer ${session}` });
      times.push(performance.now() - t0);
      if (r.status !== 200 || r.json.success !== true) failed++;
    }
  }));
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99), mean: times.reduce((a, b) => a + b, 0) / times.length, failed, count: times.length };
}

interface Health { monitor: { leader: boolean; ticks: number; probes: number; changes: number; failures: number; lastRoundMs: number; lastRoundProbed: number } }

async function monitorStats(nc: NatsConnection): Promise<Health['monitor']> {
  const reply = await busRequest<Health>(nc, 'platform.query.Health', {}, 5000);
  if (!reply.ok) throw new Error('platform health failed');
  return reply.result.monitor;
}

runBench(TAG, 10 * 60_000, async (cleanup: Cleanup) => {
  say(TAG, `node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'})`);
  const nats = await cleanup.natsServer();
  // The monitor probes every 10 s; the default concurrency (8) is what is measured.
  const stack = await startStack(cleanup, nats, 120_000, { HEALTH_PROBE_INTERVAL_SEC: '10' });
  const session = await logInAdmin(stack.baseUrl);
  const doubles = await Promise.all(Array.from({ length: 10 }, () => startFakeVSphere(USER, PASSWORD)));
  cleanup.add('vSphere doubles', async () => void (await Promise.all(doubles.map((d) => d.close()))));

  // 1. TestConnectionDetailed wall time.
  const key = await http('POST', `${stack.baseUrl}/zstack/v1/accesskeys`, { params: { accountUuid: '36c27e8ff05c4780bf6d2fa65700f22e' } }, { Authorization: `OAuth ${session}` });
  const ak = key.json.inventory as { AccessKeyID: string; AccessKeySecret: string };
  const port = new URL(stack.baseUrl).port;
  const vsphereBody = { productType: 'vmware', endpoint: `http://127.0.0.1:${doubles[0].port}`, accessKey: USER, secretKey: PASSWORD };
  const zstackBody = { productType: 'zstack', endpoint: `127.0.0.1:${port}`, accessKey: ak.AccessKeyID, secretKey: ak.AccessKeySecret };
  const runs = [
    ['vmware double, sequential', await timeTests(stack.baseUrl, session, vsphereBody, TESTS, 1)],
    ['vmware double, 8 connections', await timeTests(stack.baseUrl, session, vsphereBody, TESTS, 8)],
    ['zstack (this gateway), sequential', await timeTests(stack.baseUrl, session, zstackBody, TESTS, 1)],
    ['zstack (this gateway), 8 connections', await timeTests(stack.baseUrl, session, zstackBody, TESTS, 8)],
  ] as const;
  for (const [name, r] of runs) say(TAG, `${name}: p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, failed ${r.failed}/${r.count}`);

  // 2. Probes per minute with PLATFORMS registered.
  say(TAG, `registering ${PLATFORMS} vmware platforms against ${doubles.length} doubles...`);
  let next = 0;
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (next < PLATFORMS) {
      const i = next++;
      const d = doubles[i % doubles.length];
      const r = await http('POST', `${stack.baseUrl}/api/v1/platforms`, {
        name: `bench-${i}`, productType: 'vmware', hostIp: '127.0.0.1', hostPort: d.port, username: USER, password: PASSWORD, useTls: false,
      }, { Authorization: `Bearer ${session}` });
      if (r.status !== 200 || r.json.status !== 'connected') throw new Error(`create failed: ${r.status} ${r.text.slice(0, 200)}`);
    }
  }));
  const nc = cleanup.connection(await connectNats(nats.url, 'bench-platform-probe'));
  await sleep(2000);
  const before = await monitorStats(nc);
  const t0 = performance.now();
  await sleep(WINDOW_S * 1000);
  const after = await monitorStats(nc);
  const seconds = (performance.now() - t0) / 1000;
  const perMinute = ((after.probes - before.probes) / seconds) * 60;

  process.stdout.write(`\n${table([
    ['figure', 'value'],
    ...runs.map(([name, r]) => [`TestConnectionDetailed, ${name}`, `p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, mean ${r.mean.toFixed(1)} ms (${r.count} runs, ${r.failed} failed)`]),
    ['platforms registered (vmware, 127.0.0.1)', PLATFORMS],
    ['probes in the window', `${after.probes - before.probes} in ${seconds.toFixed(1)} s (monitor failures ${after.failures - before.failures}, events ${after.changes - before.changes})`],
    ['probes per minute observed (interval 10 s: 1,000 due every 10 s)', perMinute.toFixed(0)],
    ['last full round (all platforms, concurrency 8)', `${after.lastRoundProbed} probes in ${(after.lastRoundMs / 1000).toFixed(2)} s`],
    ['capacity: probes per minute one platform-svc can do', ((after.lastRoundProbed / Math.max(after.lastRoundMs, 1)) * 60_000).toFixed(0)],
  ])}\n`);
});
