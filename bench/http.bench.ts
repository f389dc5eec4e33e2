import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NatsConnection } from 'nats';
import { ADMIN_ACCOUNT_UUID, accountStreamId, healthSubject, type AccountEvent } from '@cp/contracts';
import { JetStreamEventStore } from '@cp/event-store';
import {
  STACK_APPS, freePort, launchApps, stackApp, stackEnv, stopInOrder, type AppName, type NatsServer, type ServiceName, type StackApp,
} from '@cp/testing';
import { loadGatewayConfig } from '../apps/gateway/src/config';
import { PasswordHasher } from '../apps/identity-svc/src/passwords/password-hasher';
import { DEFAULT_RESTART_POLICY } from '../scripts/supervisor/restart-policy';
import { Supervised } from '../scripts/supervisor/supervised';
import type { LoadResult, LoadSpec } from './load';
import {
  Child, SERVICES, busRequest, cleanEnv, connectNats, hex32, http, logInAdmin, runBench, say, sleep, startStack, table,
  type Cleanup, type Stack,
} from './support';

/**
 * Throughput and latency of the ZStack API against ceilings measured in the same run, every part in
 * a process of its own as in `npm start`: nats-server; the product (identity-svc, baremetal-svc,
 * platform-svc, audit-svc, gateway); the ceilings (ceiling-http.ts, a bare Fastify server, and
 * ceiling-responder.ts, a bare NATS responder); and the load generator (load.ts, autocannon), a new
 * process for every measurement. See bench/README.md and docs/benchmarks.md.
 *
 *   npm run bench:http                 full run, ~6 min
 *   npm run bench:http -- --quick      3 s rounds, ~3 min
 *   npm run bench:http -- --large      full run, then 1,000,000 events across 100,000 accounts, 10-15 min
 *   NATS_SERVER_BIN=/opt/nats-2.10/usr/sbin/nats-server npm run bench:http     another nats-server
 *
 * Paths: QueryAccount by name and UpdateAccount, at 64 connections, over 1,000 accounts. Each
 * figure is the median of ROUNDS rounds interleaved with its ceiling (ceiling, product, ceiling,
 * product, ...). Measured on the seeded log, again after the log has grown by 50,000 updates, and
 * (with --large) again after it has grown to 1,000,000 events and the services have restarted.
 *
 * Knobs (environment; the defaults are the reference run): BENCH_DURATION_S (10, quick 3),
 * BENCH_WARMUP_S (2, quick 1), BENCH_ROUNDS (3), BENCH_CONNECTIONS (64), BENCH_ACCOUNTS (1000),
 * BENCH_GROWTH_UPDATES (50000), BENCH_LARGE_EVENTS (1000000), BENCH_LARGE_ACCOUNTS (100000),
 * BENCH_APPEND_PARALLEL (256), BENCH_TRACING (`1`: every app exports its traces over OTLP/HTTP to a
 * sink in this process, to measure what tracing costs; unset: off, as by default), BENCH_LOG_LEVEL (the apps'
 * LOG_LEVEL: `warn` leaves out the per-request lines), BENCH_NATS_SYNC (`always`, as npm start asks; `default` leaves the
 * server's own fsync schedule).
 */
const TAG = 'bench:http';
const ARGS = new Set(process.argv.slice(2));
for (const a of ARGS) if (!['--quick', '--large'].includes(a)) throw new Error(`unknown argument ${a} (known: --quick, --large)`);
const QUICK = ARGS.has('--quick');
const LARGE = ARGS.has('--large');

const int = (name: string, fallback: number, min: number, max: number): number => {
  const raw = process.env[name];
  const n = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be an integer in [${min}, ${max}]`);
  return n;
};
const DURATION_S = int('BENCH_DURATION_S', QUICK ? 3 : 10, 1, 60);
const WARMUP_S = int('BENCH_WARMUP_S', QUICK ? 1 : 2, 0, 30);
const ROUNDS = int('BENCH_ROUNDS', 3, 1, 9);
const CONNECTIONS = int('BENCH_CONNECTIONS', 64, 1, 1024);
const ACCOUNTS = int('BENCH_ACCOUNTS', 1000, 1, 10_000);
const GROWTH_UPDATES = int('BENCH_GROWTH_UPDATES', 50_000, 0, 1_000_000);
const LARGE_EVENTS = int('BENCH_LARGE_EVENTS', 1_000_000, 1, 5_000_000);
const LARGE_ACCOUNTS = int('BENCH_LARGE_ACCOUNTS', 100_000, 1, 1_000_000);
const APPEND_PARALLEL = int('BENCH_APPEND_PARALLEL', 256, 1, 4096);
const NATS_SYNC = process.env.BENCH_NATS_SYNC || 'always';
if (NATS_SYNC !== 'always' && NATS_SYNC !== 'default') throw new Error('BENCH_NATS_SYNC must be always or default');
/** The whole run; the load, the appends and every wait are bounded too. */
const MAX_RUN_MS = (LARGE ? 60 : 20) * 60_000;
const APPEND_TIMEOUT_MS = 20 * 60_000;
const CATCH_UP_TIMEOUT_MS = 15 * 60_000;

/** Printed as PASS or MISS (never asserted): the issue's targets for the seeded log. */
const TARGETS = {
  QueryAccount: { ratio: 0.5, p99Ms: 25 },
  UpdateAccount: { ratio: 0.4, p99Ms: 60 },
};

const JSON_TYPE = 'application/json;charset=UTF-8';
const sha512 = (text: string) => createHash('sha512').update(text).digest('hex');
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const pct = (r: number) => (Number.isFinite(r) ? `${(r * 100).toFixed(1)}%` : 'n/a');
const thousands = (n: number) => n.toLocaleString('en-US');

type PathName = 'QueryAccount' | 'UpdateAccount';
// BENCH_PATHS=QueryAccount: one path only (a profile of one request kind, say).
const PATHS: PathName[] = process.env.BENCH_PATHS ? (process.env.BENCH_PATHS.split(',') as PathName[]) : ['QueryAccount', 'UpdateAccount'];

interface Account { uuid: string; name: string }

/** One autocannon run's figures, as the bench counts them. */
interface Run {
  /** Per second: 2xx responses; for UpdateAccount, commands applied (commits appended to the log) in the measured window. */
  perSec: number;
  /** Responses 200 per second (for UpdateAccount: finished within the gateway's fast-path window). */
  ok200PerSec: number;
  p50: number;
  p99: number;
  max: number;
  counted: number;
  codes: Record<string, number>;
  errors: number;
  timeouts: number;
  /** Share of the machine's CPU that processes other than the bench's used during the run (warm-up included), and the hypervisor stole. */
  otherCpu: number;
  stealCpu: number;
  /**
   * CPU milliseconds the serving processes (the product's apps and nats-server, or the ceilings and
   * nats-server) spent per request answered, warm-up included: what a request costs, which load on
   * the machine from elsewhere changes much less than it changes the rates.
   */
  cpuMsPerRequest: number;
  /** The same, per serving process (its name: `gateway`, `identity-svc`, `nats-server`...). */
  cpuMsPerRequestOf: Record<string, number>;
  /** Share of the CPU this run's own processes (nats-server, the apps, the ceilings) used in the idle second before the load started: background work. */
  idleOwnCpu: number;
}

interface PathFigures {
  path: PathName;
  phase: string;
  events: number;
  rounds: Array<{ ceiling: Run; product: Run }>;
  product: { perSec: number; ok200PerSec: number; p50: number; p99: number; cpuMsPerRequest: number };
  ceiling: { perSec: number; ok200PerSec: number; p50: number; p99: number; cpuMsPerRequest: number };
  ratio: number;
  /** UpdateAccount: responses 202 (not finished within the fast-path window) and non-2xx, over all rounds. */
  accepted202: number;
  non2xx: number;
  errors: number;
}

// ---------------------------------------------------------------------------------------------
// CPU left to the measured processes: what else ran on the machine during a measurement.

interface CpuSnap { wallMs: number; busy: number; steal: number; ours: number }

/** Clock ticks of one process and its reaped children (utime + stime + cutime + cstime), and its parent. */
function procTicks(pid: string): { ppid: number; ticks: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]) };
  } catch {
    return null;
  }
}

/**
 * The machine's busy and stolen clock ticks (/proc/stat), and those of this process and every
 * process it started (nats-server, the apps, the ceilings; a finished load generator counts in
 * this process's cutime once reaped).
 */
function cpuSnap(): CpuSnap {
  const [user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const all = new Map<number, { ppid: number; ticks: number }>();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const t = procTicks(pid);
    if (t) all.set(Number(pid), t);
  }
  const ours = new Set<number>([process.pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, t] of all) if (!ours.has(pid) && ours.has(t.ppid)) { ours.add(pid); grew = true; }
  }
  let ticks = 0;
  for (const pid of ours) ticks += all.get(pid)?.ticks ?? 0;
  return { wallMs: performance.now(), busy: user + nice + system + irq + softirq, steal, ours: ticks };
}

const TICKS_PER_S = 100; // USER_HZ

/** The clock ticks each process has used so far (0 for one that is gone). */
const ticksOf = (pids: Record<string, number>): Record<string, number> =>
  Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, procTicks(String(pid))?.ticks ?? 0]));

/** CPU ms per request between two readings: of all the processes, and of each. */
function cpuPerRequest(before: Record<string, number>, after: Record<string, number>, requests: number): Pick<Run, 'cpuMsPerRequest' | 'cpuMsPerRequestOf'> {
  const of = Object.fromEntries(Object.keys(after).map((name) => [name, ((after[name] - before[name]) * 1000) / TICKS_PER_S / Math.max(1, requests)]));
  return { cpuMsPerRequest: Object.values(of).reduce((a, b) => a + b, 0), cpuMsPerRequestOf: of };
}
/** Shares of the machine's CPU capacity during [a, b]: used by other processes, and stolen by the hypervisor. */
function cpuOther(a: CpuSnap, b: CpuSnap): { other: number; steal: number; own: number } {
  const capacity = ((b.wallMs - a.wallMs) / 1000) * TICKS_PER_S * cpus().length;
  return { other: Math.max(0, (b.busy - a.busy - (b.ours - a.ours)) / capacity), steal: (b.steal - a.steal) / capacity, own: (b.ours - a.ours) / capacity };
}

/**
 * Before a measurement, waits (1 s samples) until processes outside this run use less than
 * QUIET_SHARE of the CPU, at most QUIET_WAIT_MS per measurement and QUIET_BUDGET_MS in all: on a
 * shared machine someone's compiler or test run would otherwise land in one round and not the next.
 */
const QUIET_SHARE = 0.15;
const QUIET_WAIT_MS = 30_000;
let quietBudgetMs = (QUICK ? 1 : 3) * 60_000;
let quietWaitedMs = 0;
async function waitQuiet(): Promise<{ idleOwn: number }> {
  const t0 = performance.now();
  let idleOwn = 0;
  for (;;) {
    const a = cpuSnap();
    await sleep(1000);
    const { other, own } = cpuOther(a, cpuSnap());
    idleOwn = own;
    const waited = performance.now() - t0;
    if (other < QUIET_SHARE) break;
    if (waited >= QUIET_WAIT_MS || waited >= quietBudgetMs) {
      say(TAG, `NOTE: other processes still use ${pct(other)} of the CPU after ${fmt(waited / 1000)} s of waiting: measuring anyway`);
      break;
    }
  }
  const spent = performance.now() - t0 - 1000;
  quietBudgetMs -= Math.max(0, spent);
  quietWaitedMs += Math.max(0, spent);
  return { idleOwn };
}

/**
 * After a start: waits until this run's own processes, with no load, use less than 10 % of the CPU
 * for two seconds in a row (work left after /health turned 200: a consumer still catching up, a GC),
 * at most `maxMs`. Returns how long that took.
 */
async function settle(maxMs: number): Promise<{ seconds: number; settled: boolean; lastOwn: number }> {
  const t0 = performance.now();
  let calm = 0;
  let own = 0;
  while (performance.now() - t0 < maxMs) {
    const a = cpuSnap();
    await sleep(1000);
    own = cpuOther(a, cpuSnap()).own;
    calm = own < 0.1 ? calm + 1 : 0;
    if (calm >= 2) return { seconds: (performance.now() - t0) / 1000 - 2, settled: true, lastOwn: own };
  }
  return { seconds: (performance.now() - t0) / 1000, settled: false, lastOwn: own };
}

// ---------------------------------------------------------------------------------------------
// The load generator, a child process per measurement.

let loadRuns = 0;
/**
 * One measurement by a new load generator process. `commitsOf` (UpdateAccount): the rate is the
 * commits the log gained between the generator's `warmup-done` and `measure-done` lines, per
 * second, i.e. the commands the product applied in the measured window, whether it answered them
 * 200 or (slower than the fast-path window) 202.
 */
async function runLoad(cleanup: Cleanup, spec: LoadSpec, servers: Record<string, number>, commitsOf?: () => Promise<number>): Promise<Run & { raw: LoadResult }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-load-'));
  const file = join(dir, 'spec.json');
  writeFileSync(file, JSON.stringify(spec));
  const name = `load-${++loadRuns}`;
  const { idleOwn } = await waitQuiet();
  const cpuBefore = cpuSnap();
  const serversBefore = ticksOf(servers);
  const child = cleanup.child(Child.spawn(name, 'bench/load.ts', cleanEnv({ LOAD_SPEC_FILE: file })));
  let stdout = '';
  child.proc.stdout?.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  const edge = async () => ({ at: performance.now(), commits: commitsOf ? await commitsOf() : 0 });
  const windowStart = child.whenLine(/^warmup-done$/).then(edge);
  const windowEnd = child.whenLine(/^measure-done$/).then(edge);
  const limitMs = ((spec.warmupS ?? 0) + spec.durationS + 60) * 1000;
  const timer = setTimeout(() => void child.stop(1000), limitMs);
  const code = await child.exited;
  clearTimeout(timer);
  await cleanup.release(name);
  const cpu = cpuOther(cpuBefore, cpuSnap());
  const serversAfter = ticksOf(servers);
  rmSync(dir, { recursive: true, force: true });
  const line = stdout.trim().split('\n').pop() ?? '';
  if (code !== 0 || !line.startsWith('{')) throw new Error(`load generator exited ${code}:\n${child.output()}`);
  const raw = JSON.parse(line) as LoadResult;
  const [w0, w1] = await Promise.all([windowStart, windowEnd]);
  const counted = commitsOf ? w1.commits - w0.commits : raw.ok2xx;
  return {
    perSec: commitsOf ? counted / ((w1.at - w0.at) / 1000) : counted / raw.durationS,
    ok200PerSec: (raw.codes['200'] ?? 0) / raw.durationS,
    p50: raw.latency.p50, p99: raw.latency.p99, max: raw.latency.max,
    counted, codes: raw.codes, errors: raw.errors, timeouts: raw.timeouts, otherCpu: cpu.other, stealCpu: cpu.steal, idleOwnCpu: idleOwn,
    ...cpuPerRequest(serversBefore, serversAfter, raw.responses + Object.values(raw.warmupCodes).reduce((a, n) => a + n, 0)), raw,
  };
}

// ---------------------------------------------------------------------------------------------
// Fixtures, written through the event store as identity-svc writes them.

const metadataOf = (id: string, now: string) => ({
  commandId: id, correlationId: id, causationId: id, actor: { accountUuid: ADMIN_ACCOUNT_UUID, via: 'rest' as const }, occurredAt: now,
});

/**
 * Appends `count` commits of one event each, `make(i)` giving the i-th, APPEND_PARALLEL in flight.
 * Returns the time it took and the highest log position written.
 */
async function appendEvents(
  natsUrl: string, count: number, label: string, make: (i: number) => { uuid: string; event: AccountEvent; creates: boolean },
): Promise<{ seconds: number; lastPosition: bigint }> {
  const store = await JetStreamEventStore.connect({ servers: natsUrl, context: 'identity', connectionName: 'bench-http-fixtures' });
  const t0 = performance.now();
  const deadline = Date.now() + APPEND_TIMEOUT_MS;
  let lastPosition = 0n;
  let next = 0;
  let done = 0;
  const step = Math.max(10_000, Math.ceil(count / 10 / 10_000) * 10_000);
  try {
    const worker = async () => {
      while (next < count) {
        if (Date.now() > deadline) throw new Error(`${label}: appending ${count} events took longer than ${APPEND_TIMEOUT_MS / 1000} s`);
        const i = next++;
        const { uuid, event, creates } = make(i);
        const id = hex32();
        const r = await store.append(accountStreamId(uuid), [{ type: event.type, data: event.data }], creates ? 'noStream' : 'any', {
          commitId: id, metadata: metadataOf(id, new Date().toISOString()),
        });
        if (r.position > lastPosition) lastPosition = r.position;
        if (++done % step === 0) say(TAG, `  ${label}: ${thousands(done)} appended (${fmt(done / ((performance.now() - t0) / 1000))}/s)`);
      }
    };
    await Promise.all(Array.from({ length: Math.min(APPEND_PARALLEL, count) }, worker));
  } finally {
    await store.close();
  }
  return { seconds: (performance.now() - t0) / 1000, lastPosition };
}

const accountCreated = (a: Account, passwordHash: string, description: string): AccountEvent => ({
  type: 'AccountCreated',
  data: { uuid: a.uuid, name: a.name, description, type: 'Normal', state: 'Enabled', passwordHash, createDate: new Date().toISOString() },
});
const accountUpdated = (uuid: string, description: string): AccountEvent => ({
  type: 'AccountUpdated', data: { uuid, description, lastOpDate: new Date().toISOString() },
});

/** The log's last sequence (= position of its last commit), from nats-server itself. */
async function lastSequence(nc: NatsConnection): Promise<number> {
  const jsm = await nc.jetstreamManager();
  return (await jsm.streams.info('EVENTS')).state.last_seq;
}

/** Until the log has not grown for a second (bounded): the sequence then, and how long it took. */
async function drained(nc: NatsConnection, timeoutMs: number): Promise<{ sequence: number; seconds: number }> {
  const t0 = performance.now();
  let last = await lastSequence(nc);
  let stableSince = performance.now();
  while (performance.now() - stableSince < 1000) {
    if (performance.now() - t0 > timeoutMs) throw new Error(`the log still grows ${timeoutMs / 1000} s after the load stopped`);
    await sleep(100);
    const now = await lastSequence(nc);
    if (now !== last) { last = now; stableSince = performance.now(); }
  }
  return { sequence: last, seconds: (stableSince - t0) / 1000 };
}

async function eventsInLog(nc: NatsConnection): Promise<number> {
  const jsm = await nc.jetstreamManager();
  return (await jsm.streams.info('EVENTS')).state.messages;
}

interface IdentityHealth { status: string; position: string | null; accounts: number }

async function identityHealth(nc: NatsConnection): Promise<IdentityHealth> {
  const reply = await busRequest<IdentityHealth>(nc, 'identity.query.Health', {}, 5000);
  if (!reply.ok) throw new Error(`identity health: ${JSON.stringify(reply.error)}`);
  return reply.result;
}

/** Until identity-svc's read model has reached `position` (bounded). */
async function waitCaughtUp(nc: NatsConnection, position: bigint, timeoutMs: number): Promise<IdentityHealth> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const h = await identityHealth(nc).catch(() => null);
    if (h?.position != null && BigInt(h.position) >= position) return h;
    if (Date.now() > deadline) throw new Error(`identity-svc did not reach position ${position} within ${timeoutMs / 1000} s (at ${h?.position})`);
    await sleep(250);
  }
}

// ---------------------------------------------------------------------------------------------
// Processes: the product's are libs/testing's (STACK_APPS, launchApps, Child, stopInOrder), as npm start's.

/** The bare responder and the bare Fastify server, as child processes; returns the server's URL and their pids. */
async function startCeilings(cleanup: Cleanup, natsUrl: string, probeUuid: string): Promise<{ url: string; pids: number[] }> {
  const port = await freePort();
  const env = cleanEnv({ NATS_URL: natsUrl, PORT: String(port), HOST: '127.0.0.1', CEILING_PREFIX: 'benchceil' });
  const responder = cleanup.child(Child.spawn('ceiling-responder', 'bench/ceiling-responder.ts', env));
  await responder.waitForLine(/^ready$/, 60_000);
  const server = cleanup.child(Child.spawn('ceiling-http', 'bench/ceiling-http.ts', env));
  await server.waitForLine(/^ready$/, 60_000);
  const url = `http://127.0.0.1:${port}`;
  const probeQ = await http('GET', `${url}/q?q=name=bench-u-0000`);
  const probeC = await http('PUT', `${url}/c/${probeUuid}`, { updateAccount: { description: 'probe' } }, { 'X-Job-UUID': hex32() });
  if (probeQ.status !== 200 || probeQ.json?.inventories?.length !== 1 || probeC.status !== 200) {
    throw new Error(`ceiling probes failed: GET ${probeQ.status} ${probeQ.text}; PUT ${probeC.status} ${probeC.text}`);
  }
  return { url, pids: [server.pid, responder.pid] };
}

/** One start of the product on a large log: how it went. */
interface StartAttempt {
  how: string;
  healthy: boolean;
  seconds: number;
  /** Exits before /health answered 200, each with the last line the app printed. */
  crashes: Array<{ app: string; afterS: number; line: string }>;
  gaveUp?: string;
}

/**
 * Starts the product as `npm start` does: libs/testing's launchApps over STACK_APPS, each app a
 * Child under npm start's own supervisor (scripts/supervisor: one that exits is restarted with
 * backoff from 0.5 s, 5 crashes within 60 s give up), until /health answers 200 (every service
 * caught up). `alone`: that service starts first, by itself, and the others once it answers its
 * health subject. On give-up or timeout everything it started is stopped and the attempt reports
 * why; once healthy, restarts end (an exit during the measurements must not pass unseen).
 */
async function startAttempt(cleanup: Cleanup, nats: NatsServer, nc: NatsConnection, how: string, alone: ServiceName | null, timeoutMs: number): Promise<{ attempt: StartAttempt; stack?: Stack }> {
  const port = await freePort();
  const env = cleanEnv(stackEnv(nats.url, port));
  const baseUrl = `http://127.0.0.1:${port}`;
  const attempt: StartAttempt = { how, healthy: false, seconds: 0, crashes: [] };
  const t0 = performance.now();
  const deadline = Date.now() + timeoutMs;
  /** Each app's current run, and its supervisor. */
  const children = new Map<AppName, Child>();
  const supervisors = new Map<AppName, Supervised>();
  let watching = true;
  const exited = (app: AppName, child: Child) => {
    if (!watching) return;
    const line = child.output().split('\n').filter((l) => /error|Error/.test(l)).pop()?.trim().slice(0, 400) ?? child.output().split('\n').pop() ?? '';
    attempt.crashes.push({ app, afterS: Number(((performance.now() - t0) / 1000).toFixed(1)), line });
    say(TAG, `  ${app} exited during start-up (${attempt.crashes.length} so far): ${line.slice(0, 300)}`);
  };
  const start = async (app: StackApp): Promise<Supervised> => {
    // npm start's words on its last step: on a crash loop, why it gave up.
    let said = '';
    const supervised = new Supervised(app.name, async () => {
      // The run that exited, if any, leaves the cleanup: it holds the app's current run only.
      await cleanup.release(app.name);
      const child = cleanup.child(Child.spawn(app.name, app.entry, env));
      children.set(app.name, child);
      void child.exited.then(() => exited(app.name, child));
      return child.running;
    }, { policy: DEFAULT_RESTART_POLICY, say: (line) => (said = line), onStart: () => undefined, onGiveUp: () => (attempt.gaveUp ??= said) });
    supervisors.set(app.name, supervised);
    await supervised.start();
    return supervised;
  };
  const cancelled = () => attempt.gaveUp !== undefined;
  const stopAll = async () => {
    watching = false;
    await stopInOrder(supervisors, async (supervised, name) => {
      await supervised.stop(5000);
      await cleanup.release(name);
    });
  };
  try {
    if (alone) {
      const app = stackApp(alone);
      await start(app);
      while (!cancelled() && !(await busRequest(nc, healthSubject(app.context), {}, 1000).then((r) => r.ok, () => false))) {
        if (Date.now() > deadline) throw new Error(`${alone} did not answer in time`);
        await sleep(250);
      }
    }
    if (!cancelled()) {
      await launchApps((app) => supervisors.get(app.name) ?? start(app), { healthUrl: `${baseUrl}/health`, timeoutMs: deadline - Date.now(), cancelled });
    }
  } catch (error) {
    // Past the deadline: the product did not come up in time; anything else is the bench's failure.
    if (Date.now() < deadline) {
      await stopAll();
      throw error;
    }
    attempt.gaveUp ??= `not healthy within ${timeoutMs / 1000} s`;
  } finally {
    attempt.seconds = (performance.now() - t0) / 1000;
  }
  if (attempt.gaveUp) {
    await stopAll();
    return { attempt };
  }
  watching = false;
  for (const supervised of supervisors.values()) supervised.endRestarts();
  attempt.healthy = true;
  const services = Object.fromEntries(SERVICES.map((app) => [app, children.get(app)!]));
  return { attempt, stack: { nats, identity: children.get('identity-svc')!, gateway: children.get('gateway')!, services, baseUrl, env } };
}

/** Stops the product's apps in npm start's order (STOP_ORDER: the gateway, then the services), leaving nats-server and its data. */
const stopStack = (cleanup: Cleanup): Promise<void> => stopInOrder(new Map(STACK_APPS.map((app) => [app.name, app])), (_, name) => cleanup.release(name));

// ---------------------------------------------------------------------------------------------

/** `0.512: gateway 0.2, identity-svc 0.15, ...`: the processes that spent anything. */
const cpuText = (r: Run) => `${fmt(r.cpuMsPerRequest, 3)}: ${Object.entries(r.cpuMsPerRequestOf).filter(([, ms]) => ms > 0.0005).map(([name, ms]) => `${name} ${fmt(ms, 3)}`).join(', ')}`;
const busyNote = (r: Run) => (r.otherCpu >= 0.05 || r.stealCpu >= 0.05 ? ` (NOTE: other processes used ${pct(r.otherCpu)} of the CPU, steal ${pct(r.stealCpu)})` : '') +
  (r.idleOwnCpu >= 0.05 ? ` (NOTE: with no load, in the second before, this run's own processes used ${pct(r.idleOwnCpu)} of the CPU)` : '');
const load1 = () => Number(loadavg()[0].toFixed(2));

/** An OTLP/HTTP receiver that takes the spans and drops them (counting the requests), for BENCH_TRACING. */
async function startTraceSink(cleanup: Cleanup): Promise<{ url: string; requests: () => number }> {
  let requests = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests++;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.add('trace sink', () => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests: () => requests };
}

runBench(TAG, MAX_RUN_MS, async (cleanup) => {
  const started = Date.now();
  const startedAt = new Date().toISOString();
  const mode = `${QUICK ? 'quick' : 'full'}${LARGE ? ' + large' : ''}`;
  say(TAG, `${mode} run: ${ROUNDS} rounds x (ceiling ${WARMUP_S} s warm-up + ${DURATION_S} s, product the same) per path and log size, ${CONNECTIONS} connections`);
  say(TAG, `node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), load avg ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  if (load1() > cpus().length / 2) say(TAG, `NOTE: the machine is already busy (1-min load ${load1()} on ${cpus().length} CPUs): figures will be noisy`);
  const fastPathMs = loadGatewayConfig(cleanEnv({})).fastPathMs;

  const nats = await cleanup.natsServer({ syncAlways: NATS_SYNC === 'always' });
  const natsVersionLine = execFileSync(nats.bin, ['--version'], { encoding: 'utf8' }).trim();
  const syncText = nats.syncAlways ? 'sync_interval: always (as npm start)'
    : NATS_SYNC === 'always' ? `the server's own fsync schedule (sync_interval needs 2.10; npm start asks for always)` : `the server's own fsync schedule (BENCH_NATS_SYNC=default)`;
  say(TAG, `nats-server ${nats.versionText} (${nats.bin}: "${natsVersionLine}") on ${nats.url}, ${syncText}, temporary store ${nats.storeDir}`);
  const nc = cleanup.connection(await connectNats(nats.url, 'bench-http-probe'));

  // 1. Seed: ACCOUNTS accounts straight into the event store (one real scrypt hash shared by all).
  const password = sha512('bench-password');
  const passwordHash = await new PasswordHasher().hash(password);
  const accounts: Account[] = Array.from({ length: ACCOUNTS }, (_, i) => ({ uuid: hex32(), name: `bench-u-${String(i).padStart(4, '0')}` }));
  const seeded = await appendEvents(nats.url, ACCOUNTS, 'seed', (i) => ({
    uuid: accounts[i].uuid, event: accountCreated(accounts[i], passwordHash, `benchmark account ${i}`), creates: true,
  }));
  say(TAG, `seeded ${thousands(ACCOUNTS)} accounts in ${fmt(seeded.seconds, 1)} s`);

  // 2. The product, as npm start lays it out, and the ceilings.
  let t0 = performance.now();
  const tracing = process.env.BENCH_TRACING === '1' ? await startTraceSink(cleanup) : null;
  const productEnv: Record<string, string> = {
    ...(tracing ? { OTEL_EXPORTER_OTLP_ENDPOINT: tracing.url } : {}),
    // BENCH_LOG_LEVEL=warn: the apps without their per-request log lines (what those lines cost).
    ...(process.env.BENCH_LOG_LEVEL ? { LOG_LEVEL: process.env.BENCH_LOG_LEVEL } : {}),
  };
  if (tracing) say(TAG, `tracing ON: every app exports its spans to the OTLP sink ${tracing.url}`);
  let stack: Stack = await startStack(cleanup, nats, undefined, productEnv);
  say(TAG, `product healthy on ${stack.baseUrl} in ${fmt((performance.now() - t0) / 1000, 1)} s ` +
    `(${Object.entries(stack.services).map(([n, c]) => `${n} ${c.pid}`).join(', ')}, gateway ${stack.gateway.pid}); fast-path window ${fastPathMs} ms`);
  const firstSettle = await settle(60_000);
  if (!firstSettle.settled) say(TAG, `NOTE: the product's processes still use ${pct(firstSettle.lastOwn)} of the CPU with no load after 60 s: measuring anyway`);
  let session = await logInAdmin(stack.baseUrl);
  const ceilings = await startCeilings(cleanup, nats.url, accounts[0].uuid);
  const ceilingUrl = ceilings.url;
  say(TAG, `ceilings on ${ceilingUrl}`);
  // The serving processes whose CPU a request costs: the ceilings' or the product's, and nats-server.
  const ceilingPids = () => ({ 'ceiling-http': ceilings.pids[0], 'ceiling-responder': ceilings.pids[1], 'nats-server': nats.pid ?? 0 });
  const productPids = () => ({
    gateway: stack.gateway.pid, ...Object.fromEntries(Object.entries(stack.services).map(([name, c]) => [name, c.pid])), 'nats-server': nats.pid ?? 0,
  });

  const specs = (path: PathName, target: 'ceiling' | 'product'): LoadSpec => {
    const base = { connections: CONNECTIONS, durationS: DURATION_S, warmupS: WARMUP_S, timeoutS: 10 };
    if (path === 'QueryAccount') {
      return target === 'ceiling'
        ? { ...base, url: ceilingUrl, method: 'GET', paths: accounts.map((a) => `/q?q=name=${a.name}`) }
        : { ...base, url: stack.baseUrl, method: 'GET', paths: accounts.map((a) => `/zstack/v1/accounts?q=name=${a.name}`), headers: { Authorization: `OAuth ${session}` } };
    }
    return target === 'ceiling'
      ? { ...base, url: ceilingUrl, method: 'PUT', paths: accounts.map((a) => `/c/${a.uuid}`), headers: { 'Content-Type': JSON_TYPE }, jobUuid: true, body: 'updateAccount' }
      : {
        ...base, url: stack.baseUrl, method: 'PUT', paths: accounts.map((a) => `/zstack/v1/accounts/${a.uuid}`),
        headers: { Authorization: `OAuth ${session}`, 'Content-Type': JSON_TYPE }, jobUuid: true, body: 'updateAccount',
      };
  };

  const probeProduct = async () => {
    const q = await http('GET', `${stack.baseUrl}/zstack/v1/accounts?q=name=${accounts[ACCOUNTS - 1].name}`, undefined, { Authorization: `OAuth ${session}` });
    if (q.status !== 200 || q.json?.inventories?.length !== 1) throw new Error(`QueryAccount probe: ${q.status} ${q.text}`);
  };
  await probeProduct();

  const phases: PathFigures[][] = [];
  const measurePhase = async (phase: string): Promise<PathFigures[]> => {
    const events = await eventsInLog(nc);
    say(TAG, `--- ${phase}: ${thousands(events)} events in the log, ${thousands((await identityHealth(nc)).accounts)} accounts ---`);
    const out: PathFigures[] = [];
    for (const path of PATHS) {
      const rounds: PathFigures['rounds'] = [];
      for (let r = 1; r <= ROUNDS; r++) {
        const ceiling = await runLoad(cleanup, specs(path, 'ceiling'), ceilingPids());
        say(TAG, `${phase} ${path} round ${r}: ceiling ${fmt(ceiling.perSec)}/s p50 ${ceiling.p50} p99 ${ceiling.p99} ms ${JSON.stringify(ceiling.codes)}${busyNote(ceiling)}`);
        const before = await lastSequence(nc);
        const product = await runLoad(cleanup, specs(path, 'product'), productPids(), path === 'UpdateAccount' ? () => lastSequence(nc) : undefined);
        say(TAG, `${phase} ${path} round ${r}: product ${fmt(product.perSec)}/s${path === 'UpdateAccount' ? ` applied (${fmt(product.ok200PerSec)}/s answered 200)` : ''} p50 ${product.p50} p99 ${product.p99} ms ${JSON.stringify(product.codes)}` +
          (product.errors || product.timeouts ? `, errors ${product.errors}, timeouts ${product.timeouts}` : '') + busyNote(product) +
          `; CPU ms/request ${cpuText(product)} (ceiling ${cpuText(ceiling)})`);
        if (path === 'UpdateAccount') {
          // Commands answered 202 still run: let them finish before the next measurement.
          const drain = await drained(nc, 120_000);
          if (drain.seconds > 1.5) say(TAG, `  the product applied its last commands ${fmt(drain.seconds, 1)} s after the load stopped`);
          // Every 200 is a command that ran: the log grows by at least one commit per 200 (warm-up included).
          const grown = drain.sequence - before;
          const ok200 = (product.codes['200'] ?? 0) + (product.raw.warmupCodes['200'] ?? 0);
          if (grown < ok200) throw new Error(`UpdateAccount: ${ok200} responses 200 but the log grew by ${grown} commits only`);
        }
        rounds.push({ ceiling, product });
      }
      const pick = (k: 'ceiling' | 'product') => ({
        perSec: median(rounds.map((x) => x[k].perSec)), ok200PerSec: median(rounds.map((x) => x[k].ok200PerSec)), p50: median(rounds.map((x) => x[k].p50)), p99: median(rounds.map((x) => x[k].p99)),
        cpuMsPerRequest: median(rounds.map((x) => x[k].cpuMsPerRequest)),
      });
      const product = pick('product');
      const ceiling = pick('ceiling');
      const sum = (f: (r: Run) => number) => rounds.reduce((a, x) => a + f(x.product), 0);
      out.push({
        path, phase, events, rounds, product, ceiling, ratio: product.perSec / ceiling.perSec,
        accepted202: sum((r) => r.codes['202'] ?? 0),
        non2xx: sum((r) => Object.entries(r.codes).filter(([c]) => !c.startsWith('2')).reduce((a, [, n]) => a + n, 0)),
        errors: sum((r) => r.errors + r.timeouts),
      });
    }
    phases.push(out);
    return out;
  };

  // 3. The seeded log.
  await measurePhase(`${thousands(ACCOUNTS)} accounts`);

  // 4. Growth by GROWTH_UPDATES updates, appended while the product runs (it follows the log).
  let growth: { seconds: number; catchUpS: number } | null = null;
  if (GROWTH_UPDATES > 0) {
    say(TAG, `growing the log by ${thousands(GROWTH_UPDATES)} AccountUpdated events over the ${thousands(ACCOUNTS)} accounts...`);
    const grown = await appendEvents(nats.url, GROWTH_UPDATES, 'growth', (i) => ({
      uuid: accounts[i % ACCOUNTS].uuid, event: accountUpdated(accounts[i % ACCOUNTS].uuid, `grown ${i}`), creates: false,
    }));
    t0 = performance.now();
    await waitCaughtUp(nc, grown.lastPosition, CATCH_UP_TIMEOUT_MS);
    growth = { seconds: grown.seconds, catchUpS: (performance.now() - t0) / 1000 };
    say(TAG, `appended in ${fmt(grown.seconds, 1)} s (${fmt(GROWTH_UPDATES / grown.seconds)}/s); identity-svc caught up ${fmt(growth.catchUpS, 1)} s after the last append`);
    await probeProduct();
    await measurePhase(`+${thousands(GROWTH_UPDATES)} updates`);
  }

  // 5. --large: LARGE_EVENTS events across LARGE_ACCOUNTS accounts, written with the product stopped; it then starts and catches up.
  let large: { appendS: number; events: number; catchUpS: number; settleS: number | null; attempts: StartAttempt[] } | null = null;
  if (LARGE) {
    await stopStack(cleanup);
    const inLog = await eventsInLog(nc);
    const creates = Math.max(0, LARGE_ACCOUNTS - ACCOUNTS);
    const updates = Math.max(0, LARGE_EVENTS - inLog - creates);
    say(TAG, `product stopped; appending ${thousands(creates)} AccountCreated and ${thousands(updates)} AccountUpdated (log at ${thousands(inLog)} events)...`);
    const extra: string[] = [];
    const made = await appendEvents(nats.url, creates + updates, 'large', (i) => {
      if (i < creates) {
        const a = { uuid: hex32(), name: `bench-l-${String(i).padStart(7, '0')}` };
        extra.push(a.uuid);
        return { uuid: a.uuid, event: accountCreated(a, passwordHash, `large fixture account ${i}`), creates: true };
      }
      // Updates follow the creates: in flight at most APPEND_PARALLEL behind, so their account exists (or 'any' appends anyway).
      const pool = extra.length ? extra : accounts.map((a) => a.uuid);
      const uuid = pool[(i - creates) % pool.length];
      return { uuid, event: accountUpdated(uuid, `large update ${i - creates}`), creates: false };
    });
    const events = await eventsInLog(nc);
    say(TAG, `appended ${thousands(creates + updates)} in ${fmt(made.seconds, 1)} s (${fmt((creates + updates) / made.seconds)}/s); the log holds ${thousands(events)} events`);
    // As npm start: every app at once, a crashed one restarted with npm start's policy. Should the
    // product not come up that way, the bench says so and starts identity-svc alone first.
    const attempts: StartAttempt[] = [];
    let started = await startAttempt(cleanup, nats, nc, 'all apps at once, as npm start', null, CATCH_UP_TIMEOUT_MS);
    attempts.push(started.attempt);
    if (!started.stack) {
      say(TAG, `NOTE: the product did not start on ${thousands(events)} events as npm start starts it: ${started.attempt.gaveUp}; starting identity-svc alone first`);
      started = await startAttempt(cleanup, nats, nc, 'identity-svc alone until it answers, then the rest', 'identity-svc', CATCH_UP_TIMEOUT_MS);
      attempts.push(started.attempt);
    }
    if (!started.stack) throw new Error(`the product did not start on ${thousands(events)} events: ${attempts.map((a) => `${a.how}: ${a.gaveUp}`).join('; ')}`);
    stack = started.stack;
    const catchUpS = started.attempt.seconds;
    say(TAG, `product healthy again in ${fmt(catchUpS, 1)} s (${started.attempt.how}; spawn to /health 200, every service caught up; ${started.attempt.crashes.length} exits on the way)`);
    const settled = await settle(180_000);
    say(TAG, settled.settled
      ? `product settled ${fmt(settled.seconds, 1)} s after /health 200 (its processes below 10 % CPU with no load)`
      : `NOTE: the product's processes still use ${pct(settled.lastOwn)} of the CPU with no load ${fmt(settled.seconds)} s after /health 200: measuring anyway`);
    session = await logInAdmin(stack.baseUrl);
    await probeProduct();
    large = { appendS: made.seconds, events, catchUpS, settleS: settled.settled ? Number(settled.seconds.toFixed(1)) : null, attempts };
    await measurePhase(`${thousands(events)} events`);
  }

  // ---- report ----
  const [base] = phases;
  const find = (list: PathFigures[], path: PathName) => list.find((f) => f.path === path)!;
  const rows: Array<Array<string | number>> = [[
    'path', 'log', 'events', 'rate/s', '200/s', 'p50 ms', 'p99 ms', 'cpu ms/req', 'ceiling/s', 'ceil p50', 'ceil p99', 'ceil cpu ms/req', 'ratio', 'rate vs first', 'ceiling vs first',
  ]];
  for (const path of PATHS) {
    const first = find(base, path);
    for (const list of phases) {
      const f = find(list, path);
      const later = list !== base;
      rows.push([
        path, f.phase, thousands(f.events), fmt(f.product.perSec), fmt(f.product.ok200PerSec), fmt(f.product.p50, 1), fmt(f.product.p99, 1), fmt(f.product.cpuMsPerRequest, 3),
        fmt(f.ceiling.perSec), fmt(f.ceiling.p50, 1), fmt(f.ceiling.p99, 1), fmt(f.ceiling.cpuMsPerRequest, 3), pct(f.ratio),
        later ? pct(f.product.perSec / first.product.perSec) : '-', later ? pct(f.ceiling.perSec / first.ceiling.perSec) : '-',
      ]);
    }
  }
  const roundRows: Array<Array<string | number>> = [[
    'path', 'log', 'round', 'ceiling/s', 'ceil p50', 'ceil p99', 'ceil cpu ms/req', 'other cpu', 'idle cpu', 'product/s', '200/s', 'p50', 'p99', 'max', 'cpu ms/req', 'other cpu', 'idle cpu', 'status codes',
  ]];
  for (const list of phases) {
    for (const f of list) {
      f.rounds.forEach((r, i) => roundRows.push([
        f.path, f.phase, i + 1, fmt(r.ceiling.perSec), r.ceiling.p50, r.ceiling.p99, fmt(r.ceiling.cpuMsPerRequest, 3), pct(r.ceiling.otherCpu), pct(r.ceiling.idleOwnCpu),
        fmt(r.product.perSec), fmt(r.product.ok200PerSec), r.product.p50, r.product.p99, r.product.max, fmt(r.product.cpuMsPerRequest, 3), pct(r.product.otherCpu), pct(r.product.idleOwnCpu),
        Object.entries(r.product.codes).map(([c, n]) => `${c}:${n}`).join(' '),
      ]));
    }
  }

  const out = (s = '') => process.stdout.write(`${s}\n`);
  out();
  out(`HTTP benchmark (${mode}), ${startedAt}, 127.0.0.1, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}) shared by every process, node ${process.version}`);
  out(`nats-server ${nats.versionText} (${nats.bin}), ${syncText}`);
  out(`${CONNECTIONS} connections, ${ACCOUNTS} accounts; each figure the median of ${ROUNDS} rounds of ${WARMUP_S} s warm-up + ${DURATION_S} s, ceiling and product interleaved`);
  out('QueryAccount: GET /zstack/v1/accounts?q=name=<n> (session) vs ceiling GET /q (Fastify -> NATS -> responder with a fixed inventory)');
  out('UpdateAccount: PUT /zstack/v1/accounts/<uuid>, fresh X-Job-UUID; rate = commands applied (log commits) per s in the measured window, 200/s = answered within the fast-path window; vs ceiling PUT /c/<uuid> (Fastify -> NATS -> responder: JS publish with expected last subject sequence + KV put)');
  out();
  out(table(rows));
  out();
  for (const list of phases) {
    for (const f of list) {
      if (f.accepted202 || f.non2xx || f.errors) out(`NOTE ${f.path} at ${f.phase}: ${f.accepted202} responses 202 (slower than the fast-path window), ${f.non2xx} non-2xx, ${f.errors} errors/timeouts over the rounds`);
    }
  }
  const allRuns = phases.flat().flatMap((f) => f.rounds.flatMap((r) => [r.ceiling, r.product]));
  const others = allRuns.map((r) => r.otherCpu);
  const steals = allRuns.map((r) => r.stealCpu);
  out(`CPU used by processes outside this run during the measurements: median ${pct(median(others))}, max ${pct(Math.max(...others))}; ` +
    `stolen by the hypervisor: median ${pct(median(steals))}, max ${pct(Math.max(...steals))}; waited ${fmt(quietWaitedMs / 1000)} s in all for a quiet machine`);
  const idle = allRuns.map((r) => r.idleOwnCpu);
  out(`CPU used by this run's own processes with no load, in the second before each measurement: median ${pct(median(idle))}, max ${pct(Math.max(...idle))}`);
  for (const path of PATHS) {
    const f = find(base, path);
    const t = TARGETS[path];
    const pass = f.ratio >= t.ratio && f.product.p99 < t.p99Ms;
    out(`target ${path} at ${f.phase}: ratio >= ${pct(t.ratio)} and p99 < ${t.p99Ms} ms: ${pass ? 'PASS' : 'MISS'} (${pct(f.ratio)}, p99 ${fmt(f.product.p99, 1)} ms)`);
  }
  if (growth) out(`growth: ${thousands(GROWTH_UPDATES)} updates appended in ${fmt(growth.seconds, 1)} s, identity-svc caught up ${fmt(growth.catchUpS, 1)} s after the last`);
  if (large) {
    const last = phases[phases.length - 1];
    const u0 = find(base, 'UpdateAccount');
    const u1 = find(last, 'UpdateAccount');
    out(`large: ${thousands(large.events)} events (fixtures appended in ${fmt(large.appendS, 1)} s), product start to healthy ${fmt(large.catchUpS, 1)} s, ` +
      `then ${large.settleS === null ? 'still busy after 180 s' : `settled ${fmt(large.settleS, 1)} s later`} (its processes below 10 % CPU with no load)`);
    for (const a of large.attempts) {
      out(`large: start "${a.how}": ${a.healthy ? 'healthy' : `FAILED (${a.gaveUp})`} after ${fmt(a.seconds, 1)} s, ${a.crashes.length} exits`);
      for (const c of a.crashes) out(`    ${c.app} exited ${c.afterS} s after the start: ${c.line.slice(0, 300)}`);
    }
    out(`large: UpdateAccount p50 ${fmt(u1.product.p50, 1)} ms at ${thousands(u1.events)} events vs ${fmt(u0.product.p50, 1)} ms at ${thousands(u0.events)} events (the seeded log); ` +
      `p99 ${fmt(u1.product.p99, 1)} vs ${fmt(u0.product.p99, 1)} ms`);
  }
  out();
  out('rounds:');
  out(table(roundRows));
  out();
  const summary = {
    bench: 'http', at: startedAt, mode, node: process.version, cpus: cpus().length,
    natsServer: nats.versionText, natsServerBin: nats.bin, natsSyncAlways: nats.syncAlways,
    connections: CONNECTIONS, accounts: ACCOUNTS, rounds: ROUNDS, durationS: DURATION_S, warmupS: WARMUP_S,
    figures: phases.flat().map((f) => ({
      path: f.path, phase: f.phase, events: f.events, perSec: Number(f.product.perSec.toFixed(1)), ok200PerSec: Number(f.product.ok200PerSec.toFixed(1)), p50: f.product.p50, p99: f.product.p99,
      ceilingPerSec: Number(f.ceiling.perSec.toFixed(1)), ceilingP50: f.ceiling.p50, ceilingP99: f.ceiling.p99, ratio: Number(f.ratio.toFixed(3)),
      accepted202: f.accepted202, non2xx: f.non2xx, errors: f.errors,
    })),
    otherCpu: { median: Number(median(others).toFixed(3)), max: Number(Math.max(...others).toFixed(3)), waitedS: Math.round(quietWaitedMs / 1000) },
    idleOwnCpu: { median: Number(median(allRuns.map((r) => r.idleOwnCpu)).toFixed(3)), max: Number(Math.max(...allRuns.map((r) => r.idleOwnCpu)).toFixed(3)) },
    growth, large,
    runSeconds: Math.round((Date.now() - started) / 1000),
  };
  out(JSON.stringify(summary));
});
