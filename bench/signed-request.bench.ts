import { cpus, loadavg } from 'node:os';
import autocannon from 'autocannon';
import { ADMIN_ACCOUNT_UUID, accessKeyDate, accessKeySignature } from '@cp/contracts';
import { http, job, logInAdmin, runBench, say, startStack, table } from './support';

/**
 * What signing costs: QueryAccount requests/s and latency at 64 connections with a session
 * (`Authorization: OAuth <session>`) and with a request signed by an access key (`Authorization:
 * ZStack <AccessKeyID>:<Signature>` + `Date`, a fresh Date and HMAC-SHA1 for every request, computed
 * in autocannon's `setupRequest`), measured in the same run, alternating, on 127.0.0.1.
 *
 * autocannon sends a prebuilt request unless `setupRequest` is given, in which case it builds each
 * request anew, in the same process and on the same cores as the stack. So a third measurement sends
 * the OAuth request through `setupRequest` too: signed vs that one is what signing costs; signed vs
 * plain OAuth includes the load generator's own extra work.
 *
 *   node -r @swc-node/register bench/signed-request.bench.ts      (npm run bench:signed)
 *
 * The machine is shared (2 cores here, with the load generator), so figures swing between measurements:
 * each round measures the three back to back, the overhead is computed within each round, and the
 * report gives the median over the rounds.
 *
 * Knobs: BENCH_DURATION_S (10), BENCH_WARMUP_S (2), BENCH_CONNECTIONS (64), BENCH_ROUNDS (3).
 */
const TAG = 'bench:signed';
const int = (name: string, fallback: number, min: number, max: number): number => {
  const raw = process.env[name];
  const n = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be an integer in [${min}, ${max}]`);
  return n;
};
const DURATION_S = int('BENCH_DURATION_S', 10, 1, 120);
const WARMUP_S = int('BENCH_WARMUP_S', 2, 0, 60);
const CONNECTIONS = int('BENCH_CONNECTIONS', 64, 1, 1024);
const ROUNDS = int('BENCH_ROUNDS', 3, 1, 10);
const MAX_RUN_MS = 10 * 60_000;

const QUERY_PATH = '/zstack/v1/accounts?q=name=admin';
/** What the client signs for it: `/v1<path>` without `/zstack` and without the query string. */
const SIGNED_PATH = '/v1/accounts';

interface Measured {
  name: string;
  perSec: number;
  p50: number;
  p99: number;
  max: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

async function measure(name: string, baseUrl: string, request: autocannon.Request): Promise<Measured> {
  say(TAG, `${name}: ${CONNECTIONS} connections, ${WARMUP_S} s warm-up + ${DURATION_S} s`);
  const result = await autocannon({
    url: baseUrl, connections: CONNECTIONS, duration: DURATION_S, timeout: 10, requests: [request],
    ...(WARMUP_S > 0 ? { warmup: { connections: CONNECTIONS, duration: WARMUP_S } } : {}),
  });
  const m: Measured = {
    name, perSec: result['2xx'] / result.duration, p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max,
    ok: result['2xx'], non2xx: result.non2xx, errors: result.errors, timeouts: result.timeouts,
  };
  say(TAG, `${name}: ${m.perSec.toFixed(0)}/s, p50 ${m.p50} ms, p99 ${m.p99} ms, non-2xx ${m.non2xx}, errors ${m.errors}`);
  return m;
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const pct = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(1)}%`;

runBench(TAG, MAX_RUN_MS, async (cleanup) => {
  const started = Date.now();
  say(TAG, `node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), load avg ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const nats = await cleanup.natsServer();
  const stack = await startStack(cleanup, nats);
  say(TAG, `stack healthy on ${stack.baseUrl} (identity-svc pid ${stack.identity.pid}, gateway pid ${stack.gateway.pid})`);

  const session = await logInAdmin(stack.baseUrl);
  const created = await job(stack.baseUrl, session, 'POST', '/zstack/v1/accesskeys', { params: { accountUuid: ADMIN_ACCOUNT_UUID, description: 'bench' } });
  if (created.status !== 200) throw new Error(`CreateAccessKey: ${created.status} ${created.text}`);
  const keyId = created.json.inventory.AccessKeyID as string;
  const secret = created.json.inventory.AccessKeySecret as string;
  const signedHeaders = (): Record<string, string> => {
    const date = accessKeyDate();
    return { Date: date, Authorization: `ZStack ${keyId}:${accessKeySignature(secret, 'GET', date, SIGNED_PATH)}` };
  };
  const oauth = { Authorization: `OAuth ${session}` };

  for (const [what, headers] of [['OAuth', oauth], ['signed', signedHeaders()]] as const) {
    const probe = await http('GET', stack.baseUrl + QUERY_PATH, undefined, headers);
    if (probe.status !== 200 || probe.json?.inventories?.length !== 1) throw new Error(`QueryAccount probe (${what}): ${probe.status} ${probe.text}`);
  }

  const runs: Array<{ oauth: Measured; oauthBuilt: Measured; signed: Measured }> = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const oauthRun = await measure(`OAuth (round ${round})`, stack.baseUrl, { method: 'GET', path: QUERY_PATH, headers: oauth });
    const built = await measure(`OAuth, setupRequest (round ${round})`, stack.baseUrl, {
      method: 'GET', setupRequest: (req) => ({ ...req, path: QUERY_PATH, headers: { ...oauth } }),
    });
    const signedRun = await measure(`signed, setupRequest (round ${round})`, stack.baseUrl, {
      method: 'GET', setupRequest: (req) => ({ ...req, path: QUERY_PATH, headers: signedHeaders() }),
    });
    runs.push({ oauth: oauthRun, oauthBuilt: built, signed: signedRun });
  }

  type Run = (typeof runs)[number];
  const summary = (pick: (r: Run) => Measured) => ({
    perSec: median(runs.map((r) => pick(r).perSec)), p50: median(runs.map((r) => pick(r).p50)), p99: median(runs.map((r) => pick(r).p99)),
  });
  const o = summary((r) => r.oauth);
  const b = summary((r) => r.oauthBuilt);
  const s = summary((r) => r.signed);
  // Within each round (the three measured back to back), then the median over the rounds.
  const fewer = (base: (r: Run) => Measured) => median(runs.map((r) => ((base(r).perSec - r.signed.perSec) / base(r).perSec) * 100));
  const slower = (base: (r: Run) => Measured) => median(runs.map((r) => ((r.signed.p99 - base(r).p99) / base(r).p99) * 100));
  const vsOAuth = { throughput: fewer((r) => r.oauth), p99: slower((r) => r.oauth) };
  const vsBuilt = { throughput: fewer((r) => r.oauthBuilt), p99: slower((r) => r.oauthBuilt) };

  const rows: Array<Array<string | number>> = [['measurement', 'req/s', 'p50 ms', 'p99 ms', 'max ms', '2xx', 'non-2xx', 'errors', 'timeouts']];
  for (const r of runs) {
    for (const m of [r.oauth, r.oauthBuilt, r.signed]) rows.push([m.name, m.perSec.toFixed(0), m.p50, m.p99, m.max, m.ok, m.non2xx, m.errors, m.timeouts]);
  }
  process.stdout.write(`\nQueryAccount (${QUERY_PATH}) at ${CONNECTIONS} connections, 127.0.0.1, ${cpus().length} CPUs shared by autocannon, ` +
    `nats-server and the apps; ${DURATION_S} s per measurement after ${WARMUP_S} s warm-up, ${ROUNDS} rounds alternating\n\n`);
  process.stdout.write(`${table(rows)}\n\n`);
  process.stdout.write(`${table([
    ['median of rounds', 'req/s', 'p50 ms', 'p99 ms'],
    ['OAuth session (prebuilt request)', o.perSec.toFixed(0), o.p50.toFixed(1), o.p99.toFixed(1)],
    ['OAuth session (setupRequest)', b.perSec.toFixed(0), b.p50.toFixed(1), b.p99.toFixed(1)],
    ['signed with an access key (setupRequest)', s.perSec.toFixed(0), s.p50.toFixed(1), s.p99.toFixed(1)],
  ])}\n\n`);
  process.stdout.write('overhead of signing (within each round, median over the rounds):\n');
  process.stdout.write(`  vs OAuth:                                   ${vsOAuth.throughput.toFixed(1)}% fewer requests/s, p99 ${pct(vsOAuth.p99)}\n`);
  process.stdout.write(`  vs OAuth built the same way (setupRequest): ${vsBuilt.throughput.toFixed(1)}% fewer requests/s, p99 ${pct(vsBuilt.p99)}\n`);
  process.stdout.write('(the load generator shares the cores: it builds each setupRequest request anew, and signs each signed one)\n\n');
  process.stdout.write(`${JSON.stringify({
    bench: 'signed-request', at: new Date().toISOString(), node: process.version, cpus: cpus().length, connections: CONNECTIONS,
    durationS: DURATION_S, warmupS: WARMUP_S, rounds: ROUNDS,
    oauth: { perSec: Math.round(o.perSec), p50Ms: o.p50, p99Ms: o.p99 },
    oauthSetupRequest: { perSec: Math.round(b.perSec), p50Ms: b.p50, p99Ms: b.p99 },
    signed: { perSec: Math.round(s.perSec), p50Ms: s.p50, p99Ms: s.p99 },
    overheadVsOAuthPct: { throughput: Number(vsOAuth.throughput.toFixed(1)), p99: Number(vsOAuth.p99.toFixed(1)) },
    overheadVsOAuthSetupRequestPct: { throughput: Number(vsBuilt.throughput.toFixed(1)), p99: Number(vsBuilt.p99.toFixed(1)) },
    runs: runs.map((r) => ({ oauth: Math.round(r.oauth.perSec), oauthSetupRequest: Math.round(r.oauthBuilt.perSec), signed: Math.round(r.signed.perSec) })),
    runSeconds: Math.round((Date.now() - started) / 1000),
  })}\n`);
});
