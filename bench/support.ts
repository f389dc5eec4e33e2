import type { ChildProcess } from 'node:child_process';
import { randomUUID, scrypt, type ScryptOptions } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type NatsConnection } from 'nats';
import { ADMIN_INITIAL_PASSWORD_SHA512, type BusReply } from '@cp/contracts';
import {
  Child, NatsServer, REPO_ROOT, SERVICES, freePort, freshMasterKeyEnv, launchApps, stackEnv, waitHealthy as waitStackHealthy, type NatsServerOptions,
} from '@cp/testing';

// The stack's plumbing is libs/testing's, shared with `npm start` and the tests: the app table and start order, children, the health wait.
export { Child, SERVICES };

/**
 * What the benchmarks share: processes they start (and always stop), the stack started the way
 * `scripts/start.ts` starts it (libs/testing's launcher), a small HTTP client, and table printing.
 * Everything here talks to 127.0.0.1 only, and every wait is bounded in time.
 */
export const ROOT = REPO_ROOT;

export const hex32 = (): string => randomUUID().replace(/-/g, '');
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
export const say = (tag: string, line: string) => process.stdout.write(`[${tag}] ${line}\n`);

/** Apps' configuration variables: removed from the inherited environment so the apps run on their defaults. */
const APP_CONFIG_VARS = [
  'API_TIMEOUT_MS', 'BODY_LIMIT_BYTES', 'BUS_TIMEOUT_MS', 'EVENT_STORE', 'ESDB_CONNECTION_STRING', 'FAST_PATH_MS', 'HOST',
  'JOB_TTL_SEC', 'NATS_URL', 'PASSWORD_SCRYPT_LOG2N', 'PASSWORD_SCRYPT_P', 'PASSWORD_SCRYPT_R', 'PORT', 'PUBLIC_URL',
  'READ_YOUR_WRITES_TIMEOUT_MS', 'SESSION_CLEANUP_INTERVAL_SEC', 'SESSION_MAX_CONCURRENT', 'SESSION_TIMEOUT_SEC',
  'ZSTACK_TIME_ZONE', 'DATA_DIR', 'NODE_OPTIONS', 'ENCRYPTION_KEY', 'ENCRYPTION_KEYS_FILE', 'AUTH_TIMEOUT_MS', 'CONNECT_DENY_LIST',
  'CONNECT_TIMEOUT_MS', 'CONNECT_STEP_TIMEOUT_MS', 'HEALTH_PROBE_INTERVAL_SEC', 'HEALTH_PROBE_CONCURRENCY', 'HEALTH_LATENCY_THRESHOLD_MS',
  'HEALTH_MONITOR', 'LOG_FILE', 'LOG_FORMAT', 'LOG_LEVEL', 'OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'METRICS_PORT',
  'JETSTREAM_REPLICAS', 'TRUST_PROXY',
];

/**
 * The gateway's per-client limits (docs/limits.md) are off in the benches: the load generator is one
 * client at 64 connections, which the defaults would throttle; the benches measure throughput.
 */
const NO_CLIENT_LIMITS = { RATE_LIMIT_LOGIN_PER_MIN: '0', RATE_LIMIT_API_PER_SEC: '0', MAX_IN_FLIGHT_PER_CLIENT: '0' };

/** The master key for this run: one per bench process, so a restarted identity-svc opens what it sealed. */
const BENCH_MASTER_KEY_ENV = freshMasterKeyEnv();

export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of APP_CONFIG_VARS) delete env[name];
  return { ...env, ...BENCH_MASTER_KEY_ENV, ...NO_CLIENT_LIMITS, ...extra };
}

/**
 * Everything a benchmark started, stopped in reverse order: at the end, on an error, on Ctrl-C /
 * SIGTERM, and (by SIGKILL, synchronously) if the process exits some other way. A watchdog bounds
 * the whole run.
 */
export class Cleanup {
  private readonly steps: Array<{ name: string; run: () => Promise<void>; now: () => void }> = [];
  private running: Promise<void> | null = null;

  constructor(private readonly tag: string, maxRunMs: number) {
    process.once('SIGINT', () => void this.exit(130, 'interrupted'));
    process.once('SIGTERM', () => void this.exit(143, 'terminated'));
    process.on('unhandledRejection', (error) => void this.exit(1, `unhandled rejection: ${(error as Error)?.stack ?? String(error)}`));
    process.on('uncaughtException', (error) => void this.exit(1, `uncaught exception: ${error.stack ?? String(error)}`));
    process.on('exit', () => {
      for (const step of [...this.steps].reverse()) {
        try {
          step.now();
        } catch {
          // best effort
        }
      }
    });
    setTimeout(() => void this.exit(1, `watchdog: the run took longer than ${maxRunMs / 1000} s`), maxRunMs).unref();
  }

  child(child: Child): Child {
    this.steps.push({ name: child.name, run: () => child.stop(), now: () => child.killNow() });
    return child;
  }

  /** A private nats-server with a temporary store; `options` as NatsServer.start's (`npm start` asks for `syncAlways`). */
  async natsServer(options: NatsServerOptions = {}): Promise<NatsServer> {
    const nats = await NatsServer.start(options);
    // NatsServer keeps its process private; the synchronous fallback reaches it for a hard exit only.
    const proc = () => (nats as unknown as { child: ChildProcess | null }).child;
    this.steps.push({
      name: 'nats-server',
      run: () => nats.stop(),
      now: () => {
        const p = proc();
        if (p && p.exitCode === null) p.kill('SIGKILL');
        rmSync(nats.storeDir, { recursive: true, force: true });
      },
    });
    return nats;
  }

  /** Anything else to stop at the end (servers started in this process). */
  add(name: string, run: () => Promise<void>): void {
    this.steps.push({ name, run, now: () => undefined });
  }

  connection(nc: NatsConnection): NatsConnection {
    this.steps.push({ name: 'nats connection', run: async () => { if (!nc.isClosed()) await nc.close(); }, now: () => undefined });
    return nc;
  }

  /** Stops one thing now (and forgets it). */
  async release(name: string): Promise<void> {
    const idx = this.steps.findIndex((s) => s.name === name);
    if (idx < 0) return;
    const [step] = this.steps.splice(idx, 1);
    await step.run();
  }

  async runAll(): Promise<void> {
    this.running ??= (async () => {
      for (let step = this.steps.pop(); step; step = this.steps.pop()) {
        try {
          await Promise.race([step.run(), sleep(15_000).then(() => step!.now())]);
        } catch (error) {
          say(this.tag, `cleanup of ${step.name} failed: ${(error as Error).message}`);
          step.now();
        }
      }
    })();
    return this.running;
  }

  async exit(code: number, why?: string): Promise<never> {
    if (why) process.stderr.write(`[${this.tag}] ${why}\n`);
    await this.runAll();
    process.exit(code);
  }
}

/** Runs `main`; whatever happens, stops what it started; exit 0 only when it returned. */
export function runBench(tag: string, maxRunMs: number, main: (cleanup: Cleanup) => Promise<void>): void {
  const cleanup = new Cleanup(tag, maxRunMs);
  main(cleanup).then(
    () => cleanup.exit(0),
    (error) => cleanup.exit(1, `failed: ${(error as Error)?.stack ?? String(error)}`),
  );
}

export interface Stack {
  nats: NatsServer;
  identity: Child;
  gateway: Child;
  /** Every service child by name (identity-svc, baremetal-svc, platform-svc, audit-svc). */
  services: Record<string, Child>;
  baseUrl: string;
  env: NodeJS.ProcessEnv;
}

/** Every service then the gateway as child processes against `nats`, as `scripts/start.ts` starts them; the cleanup stops them in reverse (gateway first). */
export async function startStack(cleanup: Cleanup, nats: NatsServer, timeoutMs = 120_000, extraEnv: Record<string, string> = {}): Promise<Stack> {
  const port = await freePort();
  const env = cleanEnv({ ...stackEnv(nats.url, port), ...extraEnv });
  const baseUrl = `http://127.0.0.1:${port}`;
  // BENCH_CPU_PROF=<dir>: every app writes a V8 CPU profile there when it stops (what a request costs, ranked).
  const nodeArgs = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  // The apps' output (a line per request) goes to a file each, as a process manager keeps it; with
  // BENCH_APP_OUTPUT=pipe, to pipes this process reads line by line (that reading then costs the run CPU).
  const logDir = process.env.BENCH_APP_OUTPUT === 'pipe' ? null : mkdtempSync(join(tmpdir(), 'bench-app-logs-'));
  if (logDir) {
    say('bench', `the apps' output: ${logDir}/<app>.log (removed at the end)`);
    // Added before the apps: the steps run in reverse, so the folder goes once they have stopped.
    cleanup.add('app logs', async () => rmSync(logDir, { recursive: true, force: true }));
  }
  const children = await launchApps((app) => cleanup.child(Child.spawn(app.name, app.entry, env, nodeArgs, {
    outputFile: logDir ? join(logDir, `${app.name}.log`) : undefined,
  })), { healthUrl: `${baseUrl}/health`, timeoutMs, watch: (c) => c });
  const services = Object.fromEntries(SERVICES.map((name) => [name, children.get(name)!]));
  return { nats, identity: services['identity-svc'], gateway: children.get('gateway')!, services, baseUrl, env };
}

/** The gateway's /health answering 200, failing fast (with its output) if one of `children` exits. */
export const waitHealthy = (url: string, timeoutMs: number, children: Child[]): Promise<void> => waitStackHealthy(url, timeoutMs, { children });

export interface HttpReply {
  status: number;
  json: any;
  text: string;
}

export async function http(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpReply> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? headers : { 'Content-Type': 'application/json;charset=UTF-8', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}

export async function logInAdmin(baseUrl: string): Promise<string> {
  const r = await http('PUT', `${baseUrl}/zstack/v1/accounts/login`, {
    logInByAccount: { accountName: 'admin', password: ADMIN_INITIAL_PASSWORD_SHA512 },
  });
  if (r.status !== 200) throw new Error(`admin login failed: ${r.status} ${r.text}`);
  return r.json.inventory.uuid as string;
}

/** An async API call followed to its end: 200 at once, or 202 then polling its location (bounded). */
export async function job(baseUrl: string, session: string, method: string, path: string, body: unknown, timeoutMs = 30_000): Promise<HttpReply> {
  const auth = { Authorization: `OAuth ${session}` };
  const first = await http(method, baseUrl + path, body, { ...auth, 'X-Job-UUID': hex32() });
  if (first.status !== 202) return first;
  const location = new URL(first.json.location as string).pathname;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await http('GET', baseUrl + location, undefined, auth);
    if (r.status !== 202) return r;
    if (Date.now() > deadline) throw new Error(`job ${location} still running after ${timeoutMs / 1000} s`);
    await sleep(50);
  }
}

/** One request/reply on a bus subject, envelope as the gateway sends it. */
export async function busRequest<R>(nc: NatsConnection, subject: string, payload: Record<string, unknown>, timeoutMs = 2000): Promise<BusReply<R>> {
  const msg = await nc.request(subject, Buffer.from(JSON.stringify({ commandId: hex32(), payload })), { timeout: timeoutMs });
  return JSON.parse(Buffer.from(msg.data).toString('utf8')) as BusReply<R>;
}

export const connectNats = (url: string, name: string) => connect({ servers: url, name, maxReconnectAttempts: 10, reconnectTimeWait: 250 });

/** Mean and min of `runs` scrypt hashes with the given cost, after one untimed run. */
export async function timeScrypt(log2N: number, r: number, p: number, runs = 5): Promise<{ meanMs: number; minMs: number }> {
  const N = 2 ** log2N;
  const options: ScryptOptions = { N, r, p, maxmem: 256 * N * r + 64 * 1024 * 1024 };
  const once = () => new Promise<number>((resolveHash, reject) => {
    const t0 = performance.now();
    scrypt('b109f3bbbc244eb82441917ed06d618b', randomUUID(), 32, options, (error) => (error ? reject(error) : resolveHash(performance.now() - t0)));
  });
  await once();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await once());
  return { meanMs: times.reduce((a, b) => a + b, 0) / times.length, minMs: Math.min(...times) };
}

/** A plain text table: first row is the header; columns of numbers right-aligned. */
export function table(rows: Array<Array<string | number>>): string {
  const cells = rows.map((r) => r.map(String));
  const widths = cells[0].map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const numeric = (c: string) => /^[-+]?[\d.,]+%?$/.test(c);
  const right = widths.map((_, i) => i > 0 && cells.slice(1).every((r) => numeric(r[i] ?? '')));
  const line = (r: string[]) => r.map((c, i) => (right[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  const out = [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)];
  return out.join('\n');
}

export const mb = (bytes: number) => (bytes / (1024 * 1024)).toFixed(1);
