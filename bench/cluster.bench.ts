import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { freePortPair } from '@cp/testing';
import { Child, cleanEnv, hex32, http, job, logInAdmin, runBench, say, sleep, table, type Cleanup } from './support';
import type { LoadResult, LoadSpec } from './load';

/**
 * `npm run bench:cluster`: QueryAccount and UpdateAccount throughput of the whole set as
 * `npm start` runs it (one nats-server, one replica of each service, one gateway) and as
 * `npm run start:cluster` runs it (3 nats-server nodes with every stream and bucket at 3 replicas,
 * 2 replicas of each service, 2 gateways), in the same run, with the same load: two load generator
 * processes of CONNECTIONS/2 connections each, both on the one gateway, or one on each gateway of
 * the cluster. Both topologies are started by scripts/start.ts itself, with the product's defaults
 * (the per-client limits off: the generators are one client each). 127.0.0.1 only; bounded.
 *
 * UpdateAccount counts the requests answered 200 (done within the fast-path window) and 202
 * (accepted, finished later) per second; QueryAccount the 200s.
 *
 *   npm run bench:cluster                     # NATS_SERVER_BIN=.../nats-server 2.10 for fsync on every write
 *   BENCH_DURATION_S=5 BENCH_ROUNDS=3 npm run bench:cluster
 */

const TAG = 'bench:cluster';
const int = (name: string, fallback: number, min: number, max: number) => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(v) || v < min || v > max) throw new Error(`${name} must be an integer in [${min}, ${max}]`);
  return v;
};
const DURATION_S = int('BENCH_DURATION_S', 5, 1, 60);
const WARMUP_S = int('BENCH_WARMUP_S', 2, 0, 30);
const ROUNDS = int('BENCH_ROUNDS', 3, 1, 9);
const CONNECTIONS = int('BENCH_CONNECTIONS', 64, 2, 512);
const ACCOUNTS = int('BENCH_ACCOUNTS', 1000, 1, 2000);
const MAX_RUN_MS = 30 * 60_000;
const JSON_TYPE = 'application/json;charset=UTF-8';

type Topology = 'single' | 'cluster';
type PathName = 'QueryAccount' | 'UpdateAccount';

interface Started {
  gateways: string[];
  stop(): Promise<void>;
}

interface Figures {
  topology: Topology;
  path: PathName;
  rounds: Array<{ perSec: number; p50: number; p99: number; codes: Record<string, number> }>;
  perSec: number;
  p99: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sha512 = (s: string) => createHash('sha512').update(s).digest('hex');
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** scripts/start.ts (with `--cluster`) as a user runs it, in a data folder of its own; ready when it says so. */
async function start(cleanup: Cleanup, topology: Topology): Promise<Started> {
  const dataDir = mkdtempSync(join(tmpdir(), `bench-${topology}-`));
  const port = await freePortPair();
  const t0 = performance.now();
  const launcher = cleanup.child(Child.spawn(`start-${topology}`, 'scripts/start.ts', cleanEnv({
    DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1',
  }), [], { args: topology === 'cluster' ? ['--cluster'] : [], keepLines: 200 }));
  await launcher.waitForLine(/\[start\] ready:/, 240_000);
  const gateways = topology === 'cluster' ? [`http://127.0.0.1:${port}`, `http://127.0.0.1:${port + 1}`] : [`http://127.0.0.1:${port}`];
  say(TAG, `${topology}: ready in ${((performance.now() - t0) / 1000).toFixed(1)} s, gateways ${gateways.join(' ')}`);
  return {
    gateways,
    async stop() {
      await launcher.stop(60_000, 'SIGINT');
      await cleanup.release(launcher.name);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** One generator process per spec, all at once; their results summed (rates) and their worst p99. */
async function runGenerators(cleanup: Cleanup, specs: LoadSpec[], round: number): Promise<{ perSec: number; p50: number; p99: number; codes: Record<string, number> }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-cluster-load-'));
  try {
    const results = await Promise.all(specs.map(async (spec, i) => {
      const file = join(dir, `spec-${i}.json`);
      writeFileSync(file, JSON.stringify(spec));
      const name = `load-${round}-${i}`;
      const child = cleanup.child(Child.spawn(name, 'bench/load.ts', cleanEnv({ LOAD_SPEC_FILE: file })));
      let stdout = '';
      child.proc.stdout?.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
      const timer = setTimeout(() => void child.stop(1000), ((spec.warmupS ?? 0) + spec.durationS + 60) * 1000);
      const code = await child.exited;
      clearTimeout(timer);
      await cleanup.release(name);
      const line = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0 || !line.startsWith('{')) throw new Error(`load generator exited ${code}:\n${child.output()}`);
      return JSON.parse(line) as LoadResult;
    }));
    const codes: Record<string, number> = {};
    for (const r of results) for (const [c, n] of Object.entries(r.codes)) codes[c] = (codes[c] ?? 0) + n;
    const answered = (codes['200'] ?? 0) + (codes['202'] ?? 0);
    return {
      perSec: answered / results[0].durationS,
      p50: Math.max(...results.map((r) => r.latency.p50)),
      p99: Math.max(...results.map((r) => r.latency.p99)),
      codes,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measure(cleanup: Cleanup, topology: Topology): Promise<Figures[]> {
  const stack = await start(cleanup, topology);
  try {
    const session = await logInAdmin(stack.gateways[0]);
    const accounts: Array<{ uuid: string; name: string }> = [];
    const salt = hex32().slice(0, 6);
    for (let i = 0; i < ACCOUNTS; i += 8) {
      const batch = await Promise.all(Array.from({ length: Math.min(8, ACCOUNTS - i) }, async (_, k) => {
        const name = `bench-${salt}-${i + k}`;
        const r = await job(stack.gateways[0], session, 'POST', '/zstack/v1/accounts', { params: { name, password: sha512('bench') } });
        if (r.status !== 200) throw new Error(`CreateAccount ${name}: ${r.status} ${r.text}`);
        return { uuid: r.json.inventory.uuid as string, name };
      }));
      accounts.push(...batch);
    }
    // Every gateway sees every account before the load starts (read-your-writes is per session and gateway).
    for (const gateway of stack.gateways) {
      const last = accounts[accounts.length - 1];
      for (let tries = 0; ; tries++) {
        const q = await http('GET', `${gateway}/zstack/v1/accounts?q=name=${last.name}`, undefined, { Authorization: `OAuth ${session}` });
        if (q.status === 200 && q.json?.inventories?.length === 1) break;
        if (tries > 100) throw new Error(`${gateway} does not see ${last.name}: ${q.status} ${q.text}`);
        await sleep(100);
      }
    }
    say(TAG, `${topology}: ${accounts.length} accounts created through the API`);
    const half = Math.max(1, Math.floor(CONNECTIONS / 2));
    const specsOf = (path: PathName): LoadSpec[] => [0, 1].map((i): LoadSpec => {
      const url = stack.gateways[i % stack.gateways.length];
      const base = { url, connections: half, durationS: DURATION_S, warmupS: WARMUP_S, timeoutS: 10 };
      return path === 'QueryAccount'
        ? { ...base, method: 'GET', paths: accounts.map((a) => `/zstack/v1/accounts?q=name=${a.name}`), headers: { Authorization: `OAuth ${session}` } }
        : {
          ...base, method: 'PUT', paths: accounts.map((a) => `/zstack/v1/accounts/${a.uuid}`),
          headers: { Authorization: `OAuth ${session}`, 'Content-Type': JSON_TYPE }, jobUuid: true, body: 'updateAccount',
        };
    });
    const out: Figures[] = [];
    for (const path of ['QueryAccount', 'UpdateAccount'] as const) {
      const rounds = [];
      for (let round = 1; round <= ROUNDS; round++) {
        const r = await runGenerators(cleanup, specsOf(path), round);
        say(TAG, `${topology} ${path} round ${round}: ${fmt(r.perSec)}/s, p50 ${r.p50} ms, p99 ${r.p99} ms, codes ${JSON.stringify(r.codes)}`);
        rounds.push(r);
      }
      out.push({ topology, path, rounds, perSec: median(rounds.map((r) => r.perSec)), p99: median(rounds.map((r) => r.p99)) });
    }
    return out;
  } finally {
    await stack.stop();
  }
}

runBench(TAG, MAX_RUN_MS, async (cleanup) => {
  const startedAt = new Date().toISOString();
  say(TAG, `node ${process.version}, ${cpus().length} CPUs, load avg ${loadavg().map((l) => l.toFixed(2)).join(' ')}; ` +
    `${ROUNDS} rounds x (${WARMUP_S} s warm-up + ${DURATION_S} s) per path and topology, ${CONNECTIONS} connections in 2 generators, ${ACCOUNTS} accounts`);
  if (process.env.NATS_SERVER_BIN) say(TAG, `nats-server: ${process.env.NATS_SERVER_BIN}`);
  const figures = [...(await measure(cleanup, 'single')), ...(await measure(cleanup, 'cluster'))];
  const of = (t: Topology, p: PathName) => figures.find((f) => f.topology === t && f.path === p)!;
  const rows: Array<Array<string | number>> = [['path', 'single node /s', 'p99 ms', 'cluster /s', 'p99 ms', 'cluster / single']];
  for (const path of ['QueryAccount', 'UpdateAccount'] as const) {
    const s = of('single', path);
    const c = of('cluster', path);
    rows.push([path, fmt(s.perSec), s.p99, fmt(c.perSec), c.p99, `${((c.perSec / s.perSec) * 100).toFixed(0)} %`]);
  }
  process.stdout.write(`\n${table(rows)}\n\n`);
  process.stdout.write(`${JSON.stringify({ bench: 'cluster', at: startedAt, node: process.version, cpus: cpus().length, rounds: ROUNDS, durationS: DURATION_S, connections: CONNECTIONS, accounts: ACCOUNTS, figures: figures.map(({ rounds: _r, ...f }) => f) })}\n`);
});
