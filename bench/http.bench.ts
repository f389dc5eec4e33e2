import { createHash, randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import autocannon from 'autocannon';
import { freePort } from '@cp/testing';
import { loadGatewayConfig } from '../apps/gateway/src/config';
import { loadIdentityConfig } from '../apps/identity-svc/src/config';
import {
  Child, cleanEnv, hex32, http, job, logInAdmin, runBench, say, sleep, startStack, table, timeScrypt, type Cleanup,
} from './support';

/**
 * HTTP throughput and latency of the ZStack API on 127.0.0.1, against ceilings measured in the same
 * run with the same load generator: QueryAccount vs a bare Fastify→NATS echo, UpdateAccount vs a
 * bare Fastify→NATS responder doing one JetStream publish and one KV put. See bench/README.md.
 *
 *   node -r @swc-node/register bench/http.bench.ts      (npm run bench:http)
 *
 * Knobs (environment, for quick trials; the defaults are the reference run): BENCH_DURATION_S (10),
 * BENCH_WARMUP_S (2), BENCH_CONNECTIONS (64), BENCH_CREATE_CONNECTIONS (16), BENCH_UPDATE_ACCOUNTS (256).
 */
const TAG = 'bench:http';
const int = (name: string, fallback: number, min: number, max: number): number => {
  const raw = process.env[name];
  const n = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be an integer in [${min}, ${max}]`);
  return n;
};
const DURATION_S = int('BENCH_DURATION_S', 10, 1, 120);
const WARMUP_S = int('BENCH_WARMUP_S', 2, 0, 60);
const CONNECTIONS = int('BENCH_CONNECTIONS', 64, 1, 1024);
const CREATE_CONNECTIONS = int('BENCH_CREATE_CONNECTIONS', 16, 1, 1024);
/**
 * Accounts the UpdateAccount load spreads over, round-robin. With C connections in a closed loop,
 * request k and request k+N hit the same account; they overlap only if one request takes longer
 * than the time to issue N others, i.e. about N/C times the mean latency: with 256 over 64
 * connections, a request slower than 4x the mean (rare) may meet a concurrent update of its account.
 */
const UPDATE_ACCOUNTS = int('BENCH_UPDATE_ACCOUNTS', 256, 1, 4096);
/** Ceiling for the whole run (setup, 5 measurements, teardown). */
const MAX_RUN_MS = 15 * 60_000;

const TARGETS = {
  query: { ratio: 0.5, p99Ms: 25 },
  update: { ratio: 0.4, p99Ms: 60 },
};

const sha512 = (text: string) => createHash('sha512').update(text).digest('hex');
const JSON_TYPE = 'application/json;charset=UTF-8';

interface Measured {
  name: string;
  connections: number;
  durationS: number;
  responses: number;
  /** Responses that count: 2xx for queries and ceilings, 200 (finished commands) for async APIs. */
  counted: number;
  perSec: number;
  p50: number;
  p99: number;
  max: number;
  non2xx: number;
  accepted202: number;
  errors: number;
  timeouts: number;
  codes: Record<string, number>;
  /** Status codes of the warm-up run. */
  warmupCodes: Record<string, number>;
}

/**
 * One measurement: warm-up, then the measured run. With `around`, the warm-up is a separate run and
 * `around.before` / `around.after` are called right before and after the measured run (to read
 * state of the stack at the edges of the measured window).
 */
async function measure(
  name: string,
  options: autocannon.Options,
  counts: 'all2xx' | 'status200',
  around?: { before: () => Promise<void>; after: () => Promise<void> },
): Promise<Measured> {
  const connections = options.connections ?? CONNECTIONS;
  say(TAG, `${name}: ${connections} connections, ${WARMUP_S} s warm-up + ${DURATION_S} s`);
  const base: autocannon.Options = { timeout: 10, ...options, connections, duration: DURATION_S };
  let result: autocannon.Result;
  if (around) {
    const warmup = WARMUP_S > 0 ? await autocannon({ ...base, duration: WARMUP_S }) : undefined;
    await around.before();
    result = await autocannon(base);
    await around.after();
    result.warmup = warmup;
  } else {
    result = await autocannon({ ...base, ...(WARMUP_S > 0 ? { warmup: { connections, duration: WARMUP_S } } : {}) });
  }
  const countsOf = (r: autocannon.Result | undefined) => Object.fromEntries(Object.entries(r?.statusCodeStats ?? {}).map(([code, s]) => [code, s.count]));
  const codes = countsOf(result);
  const responses = Object.values(codes).reduce((a, b) => a + b, 0);
  const counted = counts === 'all2xx' ? result['2xx'] : codes['200'] ?? 0;
  const m: Measured = {
    name, connections, durationS: result.duration, responses, counted,
    perSec: counted / result.duration,
    p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max,
    non2xx: result.non2xx, accepted202: codes['202'] ?? 0, errors: result.errors, timeouts: result.timeouts, codes,
    warmupCodes: countsOf(result.warmup),
  };
  say(TAG, `${name}: ${m.perSec.toFixed(0)}/s, p99 ${m.p99} ms, status codes ${JSON.stringify(codes)}, errors ${m.errors}, timeouts ${m.timeouts}`);
  return m;
}

/** A request of the UpdateAccount shape: fresh job id, changing description, account k mod N. */
function updateRequest(pathOf: (k: number) => string, headers: Record<string, string>): autocannon.Request {
  let k = 0;
  return {
    method: 'PUT',
    setupRequest: (req) => {
      const i = k++;
      return {
        ...req,
        path: pathOf(i),
        headers: { ...headers, 'X-Job-UUID': hex32() },
        body: JSON.stringify({ updateAccount: { description: `bench update ${i} ${randomBytes(4).toString('hex')}` } }),
      };
    },
  };
}

async function waitReady(child: Child, timeoutMs: number): Promise<void> {
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${child.name} not ready within ${timeoutMs / 1000} s:\n${child.output()}`)), timeoutMs).unref());
  const died = child.exited.then((code) => { throw new Error(`${child.name} exited (${code}):\n${child.output()}`); });
  await Promise.race([child.whenLine(/^ready$/), timeout, died]);
}

/** The ceiling setup: a bare NATS responder and a bare Fastify server, as child processes; returns the server's URL. */
async function startCeilings(cleanup: Cleanup, natsUrl: string): Promise<string> {
  const port = await freePort();
  const env = cleanEnv({ NATS_URL: natsUrl, PORT: String(port), HOST: '127.0.0.1', CEILING_PREFIX: 'benchceil' });
  const responder = cleanup.child(Child.spawn('ceiling-responder', 'bench/ceiling-responder.ts', env));
  await waitReady(responder, 60_000);
  const server = cleanup.child(Child.spawn('ceiling-http', 'bench/ceiling-http.ts', env));
  await waitReady(server, 60_000);
  const url = `http://127.0.0.1:${port}`;
  const probeQ = await http('GET', `${url}/q?q=name=bench-u-000`);
  const probeC = await http('PUT', `${url}/c/${hex32()}`, { updateAccount: { description: 'probe' } }, { 'X-Job-UUID': hex32() });
  if (probeQ.status !== 200 || probeC.status !== 200 || probeC.json?.ok === false) {
    throw new Error(`ceiling probes failed: GET ${probeQ.status} ${probeQ.text}; PUT ${probeC.status} ${probeC.text}`);
  }
  return url;
}

/** Creates `count` accounts through the API, a few at a time (each costs one slow hash). */
async function createAccounts(baseUrl: string, session: string, count: number, parallel = 8): Promise<string[]> {
  const uuids: string[] = new Array(count);
  let next = 0;
  const deadline = Date.now() + 300_000;
  const worker = async () => {
    while (next < count) {
      if (Date.now() > deadline) throw new Error('creating the accounts took longer than 300 s');
      const i = next++;
      const name = `bench-u-${String(i).padStart(3, '0')}`;
      const r = await job(baseUrl, session, 'POST', '/zstack/v1/accounts', {
        params: { name, password: sha512(`pw-${i}`), description: `benchmark account ${i}` },
      });
      if (r.status !== 200) throw new Error(`CreateAccount ${name} failed: ${r.status} ${r.text}`);
      uuids[i] = r.json.inventory.uuid as string;
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return uuids;
}

/** identity-svc's log position, from the gateway's /health. */
async function logPosition(baseUrl: string): Promise<number> {
  const r = await http('GET', `${baseUrl}/health`);
  const position = Number(r.json?.services?.identity?.position);
  if (r.status !== 200 || !Number.isFinite(position)) throw new Error(`/health: ${r.status} ${r.text}`);
  return position;
}

const fmt = (n: number, digits = 0) => n.toFixed(digits);
const pct = (r: number) => `${(r * 100).toFixed(1)}%`;

const load1 = () => Number(loadavg()[0].toFixed(2));

runBench(TAG, MAX_RUN_MS, async (cleanup) => {
  const started = Date.now();
  const loadAtStart = load1();
  say(TAG, `node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), load avg ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  if (loadAtStart > cpus().length / 2) say(TAG, `NOTE: the machine is already busy (1-min load ${loadAtStart} on ${cpus().length} CPUs): figures will be noisy`);

  // The apps' own defaults, as they will read them from the environment the bench gives them.
  const appEnv = cleanEnv({});
  const scryptParams = loadIdentityConfig(appEnv).scrypt;
  const fastPathMs = loadGatewayConfig(appEnv).fastPathMs;
  const scryptCost = await timeScrypt(scryptParams.log2N, scryptParams.r, scryptParams.p, 5);
  say(TAG, `password hash: scrypt log2N=${scryptParams.log2N} (N=${2 ** scryptParams.log2N}), r=${scryptParams.r}, p=${scryptParams.p}; ` +
    `one hash in this process (idle): mean ${fmt(scryptCost.meanMs, 1)} ms, min ${fmt(scryptCost.minMs, 1)} ms (5 runs)`);
  say(TAG, `gateway fast-path window (FAST_PATH_MS): ${fastPathMs} ms`);

  const nats = await cleanup.natsServer();
  say(TAG, `nats-server ${nats.versionText} on ${nats.url}, temporary store ${nats.storeDir}`);

  // Both setups run side by side (the idle one costs next to nothing), and each ceiling is measured
  // right before its API, so that the two of a pair see the same machine.
  const stack = await startStack(cleanup, nats);
  say(TAG, `stack healthy on ${stack.baseUrl} (identity-svc pid ${stack.identity.pid}, gateway pid ${stack.gateway.pid})`);
  const session = await logInAdmin(stack.baseUrl);
  const auth = { Authorization: `OAuth ${session}` };
  const t0 = Date.now();
  const uuids = await createAccounts(stack.baseUrl, session, UPDATE_ACCOUNTS);
  say(TAG, `created ${uuids.length} accounts for the updates in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const queryPath = '/zstack/v1/accounts?q=name=bench-u-000';
  const probe = await http('GET', stack.baseUrl + queryPath, undefined, auth);
  if (probe.status !== 200 || probe.json?.inventories?.length !== 1) throw new Error(`QueryAccount probe: ${probe.status} ${probe.text}`);

  const ceilingUrl = await startCeilings(cleanup, nats.url);

  const queryCeiling = await measure('query ceiling (Fastify → NATS echo)', {
    url: ceilingUrl, requests: [{ method: 'GET', path: '/q?q=name=bench-u-000' }],
  }, 'all2xx');
  const query = await measure('QueryAccount', { url: stack.baseUrl, requests: [{ method: 'GET', path: queryPath, headers: auth }] }, 'all2xx');

  const ceilingIds = Array.from({ length: UPDATE_ACCOUNTS }, hex32);
  const commandCeiling = await measure('command ceiling (Fastify → NATS → JS publish + KV put)', {
    url: ceilingUrl, requests: [updateRequest((k) => `/c/${ceilingIds[k % ceilingIds.length]}`, { 'Content-Type': JSON_TYPE })],
  }, 'all2xx');
  await cleanup.release('ceiling-http');
  await cleanup.release('ceiling-responder');
  const ceilings = { query: queryCeiling, command: commandCeiling };

  const positionBefore = await logPosition(stack.baseUrl);
  const update = await measure('UpdateAccount', {
    url: stack.baseUrl,
    requests: [updateRequest((k) => `/zstack/v1/accounts/${uuids[k % uuids.length]}`, { ...auth, 'Content-Type': JSON_TYPE })],
  }, 'status200');
  // Every 200 must be a command that ran (a repeated X-Job-UUID would answer 200 without appending):
  // the log grows by one commit per finished update, warm-up included. In-flight ones at the stop may add a few.
  await sleep(500);
  const grown = (await logPosition(stack.baseUrl)) - positionBefore;
  const updates200 = (update.codes['200'] ?? 0) + (update.warmupCodes['200'] ?? 0);
  say(TAG, `UpdateAccount: the log grew by ${grown} commits for ${updates200} responses 200 (warm-up + run)`);
  if (grown < updates200) throw new Error(`UpdateAccount: ${updates200} responses 200 but only ${grown} commits: job ids were reused?`);

  const runId = randomBytes(3).toString('hex');
  // Creates answered 202 keep running after their answer: the log shows how many really finished.
  const countCreated = async () => {
    const r = await http('GET', `${stack.baseUrl}/zstack/v1/accounts?q=name~=bench-c-${runId}-%25&count=true`, undefined, auth);
    if (r.status !== 200 || typeof r.json?.total !== 'number') throw new Error(`counting created accounts: ${r.status} ${r.text}`);
    return { at: performance.now(), n: r.json.total as number };
  };
  let windowStart = { at: 0, n: 0 };
  let windowEnd = { at: 0, n: 0 };
  let created = 0;
  const createPassword = sha512('bench-create');
  const create = await measure('CreateAccount', {
    url: stack.baseUrl,
    connections: CREATE_CONNECTIONS,
    requests: [{
      method: 'POST',
      setupRequest: (req) => ({
        ...req,
        path: '/zstack/v1/accounts',
        headers: { ...auth, 'Content-Type': JSON_TYPE, 'X-Job-UUID': hex32() },
        body: JSON.stringify({ params: { name: `bench-c-${runId}-${created++}`, password: createPassword, description: 'created by bench/http.bench.ts' } }),
      }),
    }],
  }, 'status200', {
    before: async () => { windowStart = await countCreated(); },
    after: async () => { windowEnd = await countCreated(); },
  });
  const createsFinishedPerSec = (windowEnd.n - windowStart.n) / ((windowEnd.at - windowStart.at) / 1000);
  const createsIssued = created;
  say(TAG, `CreateAccount: ${windowEnd.n - windowStart.n} accounts created during the measured window (${createsFinishedPerSec.toFixed(1)}/s); ` +
    `${createsIssued} requests issued in all, ${windowEnd.n} finished by its end`);

  // ---- report ----
  const rows: Array<Array<string | number>> = [
    ['measurement', 'conns', 'secs', 'responses', 'counted/s', 'p50 ms', 'p99 ms', 'max ms', 'non-2xx', '202', 'errors', 'timeouts'],
  ];
  for (const m of [ceilings.query, query, ceilings.command, update, create]) {
    rows.push([m.name, m.connections, fmt(m.durationS, 2), m.responses, fmt(m.perSec), m.p50, m.p99, m.max, m.non2xx, m.accepted202, m.errors, m.timeouts]);
  }
  const queryRatio = query.perSec / ceilings.query.perSec;
  const updateRatio = update.perSec / ceilings.command.perSec;
  const queryPass = queryRatio >= TARGETS.query.ratio && query.p99 < TARGETS.query.p99Ms;
  const updatePass = updateRatio >= TARGETS.update.ratio && update.p99 < TARGETS.update.p99Ms;

  process.stdout.write('\n');
  process.stdout.write(`HTTP benchmark, 127.0.0.1, ${cpus().length} CPUs shared by load generator, nats-server and the apps; ` +
    `${DURATION_S} s per measurement after ${WARMUP_S} s warm-up; 1-min load avg ${loadAtStart} before the run\n`);
  process.stdout.write('counted = 2xx for QueryAccount and the ceilings; 200 (command finished within the fast-path window) for Update/CreateAccount\n\n');
  process.stdout.write(`${table(rows)}\n\n`);
  process.stdout.write(`status codes: ${[ceilings.query, query, ceilings.command, update, create].map((m) => `${m.name.split(' (')[0]} ${JSON.stringify(m.codes)}`).join('; ')}\n`);
  process.stdout.write(`CreateAccount: ${fmt(create.perSec, 1)} completions/s answered 200, ${fmt(create.accepted202 / create.durationS, 1)}/s answered 202 ` +
    `(not finished within the ${fastPathMs} ms fast-path window); accounts actually created during the window: ${fmt(createsFinishedPerSec, 1)}/s\n`);
  process.stdout.write(`closed loop: mean latency = connections / throughput, so at ${CONNECTIONS} connections a p99 under ${TARGETS.query.p99Ms} ms needs ` +
    `well over ${fmt(CONNECTIONS / (TARGETS.query.p99Ms / 1000))}/s, under ${TARGETS.update.p99Ms} ms well over ${fmt(CONNECTIONS / (TARGETS.update.p99Ms / 1000))}/s\n`);
  process.stdout.write(`password hash: scrypt log2N=${scryptParams.log2N}, r=${scryptParams.r}, p=${scryptParams.p}; one hash ${fmt(scryptCost.meanMs, 1)} ms (mean of 5, bench process, idle)` +
    ` → one core hashes at most ~${fmt(1000 / scryptCost.meanMs)}/s\n\n`);
  process.stdout.write(`${table([
    ['target', 'measured', 'ceiling', 'ratio', 'needed', 'p99 ms', 'p99 limit', 'verdict'],
    ['QueryAccount vs query ceiling', fmt(query.perSec), fmt(ceilings.query.perSec), pct(queryRatio), pct(TARGETS.query.ratio), query.p99, `< ${TARGETS.query.p99Ms}`, queryPass ? 'PASS' : 'MISS'],
    ['UpdateAccount vs command ceiling', fmt(update.perSec), fmt(ceilings.command.perSec), pct(updateRatio), pct(TARGETS.update.ratio), update.p99, `< ${TARGETS.update.p99Ms}`, updatePass ? 'PASS' : 'MISS'],
  ])}\n\n`);

  const brief = (m: Measured) => ({
    perSec: Math.round(m.perSec), p50Ms: m.p50, p99Ms: m.p99, maxMs: m.max, responses: m.responses, non2xx: m.non2xx,
    accepted202: m.accepted202, errors: m.errors, timeouts: m.timeouts, connections: m.connections, durationS: m.durationS,
  });
  const summary = {
    bench: 'http', at: new Date().toISOString(), node: process.version, cpus: cpus().length, natsServer: nats.versionText,
    loadAvg1AtStart: loadAtStart, durationS: DURATION_S, warmupS: WARMUP_S, connections: CONNECTIONS, createConnections: CREATE_CONNECTIONS, updateAccounts: UPDATE_ACCOUNTS,
    fastPathMs,
    scrypt: { ...scryptParams, hashMeanMs: Number(scryptCost.meanMs.toFixed(1)), hashMinMs: Number(scryptCost.minMs.toFixed(1)) },
    ceilings: { query: brief(ceilings.query), command: brief(ceilings.command) },
    queryAccount: brief(query), updateAccount: { ...brief(update), logCommitsForWarmupAndRun200: grown },
    createAccount: { ...brief(create), createdDuringWindowPerSec: Number(createsFinishedPerSec.toFixed(1)) },
    targets: {
      query: { ratio: Number(queryRatio.toFixed(3)), needRatio: TARGETS.query.ratio, p99Ms: query.p99, maxP99Ms: TARGETS.query.p99Ms, verdict: queryPass ? 'PASS' : 'MISS' },
      update: { ratio: Number(updateRatio.toFixed(3)), needRatio: TARGETS.update.ratio, p99Ms: update.p99, maxP99Ms: TARGETS.update.p99Ms, verdict: updatePass ? 'PASS' : 'MISS' },
    },
    runSeconds: Math.round((Date.now() - started) / 1000),
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
});
