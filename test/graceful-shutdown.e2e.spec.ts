import { createHash } from 'node:crypto';
import type { NatsConnection } from 'nats';
import { connectNats } from '@cp/bus';
import { JetStreamEventStore } from '@cp/event-store';
import {
  Child, NatsServer, STACK_APPS, TEST_APP_ENV, appEnv, freePort, freshMasterKeyEnv, launchApps, stackApp, stackEnv, stopInOrder, type AppName,
} from '@cp/testing';
import { newJobId, ZStackClient, type HttpResult } from './support/zstack-client';

/**
 * Graceful shutdown (issue 14, part 6): SIGTERM to identity-svc, its own child process, while ~20
 * clients update accounts through the gateway, as a rolling restart does it: a fresh identity-svc
 * joins the queue group first, then the old one gets SIGTERM. The old one stops taking requests,
 * finishes the ones routed to it (commands run and their jobs recorded), drains NATS and exits 0 by
 * itself within 10 s. Then every acknowledged update is in the log (its description, one commit per
 * job id), every job id has a final outcome when polled (none left at 202), and no request was
 * dropped on the way. Bounded (about 4 s of load), 127.0.0.1 only.
 */
const sha512 = (s: string) => createHash('sha512').update(s).digest('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const WRITERS = 20;
const ACCOUNTS = 5;
const EXIT_BOUND_MS = 10_000;
const FAST_PATH_MS = 10_000;

let nats: NatsServer;
let nc: NatsConnection;
let baseUrl: string;
let env: NodeJS.ProcessEnv;
const masterKey = freshMasterKeyEnv();
const children = new Map<AppName, Child>();
let admin: ZStackClient;

const spawnApp = (name: AppName) => {
  const app = stackApp(name);
  return Child.spawn(app.name, app.entry, appEnv(app, env, masterKey), [], { keepLines: 200 });
};

beforeAll(async () => {
  nats = await NatsServer.start();
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  // A long fast path: a request the old replica dropped waits it out and gets 202; a slow command
  // (a loaded machine, the fresh replica warming up) still answers 200 within it.
  env = { ...process.env, ...stackEnv(nats.url, port), ...TEST_APP_ENV, FAST_PATH_MS: String(FAST_PATH_MS) };
  const started = await launchApps((app) => spawnApp(app.name), { healthUrl: `${baseUrl}/health`, timeoutMs: 60_000, watch: (c) => c });
  for (const [name, child] of started) children.set(name, child);
  expect(STACK_APPS.every((a) => children.has(a.name))).toBe(true);
  nc = await connectNats(nats.url, 'graceful-shutdown-test');
  admin = new ZStackClient(baseUrl);
  await admin.login();
}, 90_000);

afterAll(async () => {
  await nc?.drain().catch(() => undefined);
  await stopInOrder(children, (child) => child.stop(5000));
  await nats?.stop();
}, 30_000);

interface Write {
  jobId: string;
  account: string;
  description: string;
  /** The gateway's first answer (null: no answer). */
  first: HttpResult | null;
  /** The final outcome: the first answer, or the poll's. */
  final?: HttpResult;
}

async function send(write: Write): Promise<HttpResult | null> {
  try {
    return await admin.send('PUT', `/zstack/v1/accounts/${write.account}`, {
      body: { updateAccount: { description: write.description } }, headers: { 'X-Job-UUID': write.jobId }, timeoutMs: 30_000,
    });
  } catch {
    return null;
  }
}

/** Polls the job until it is no longer 202 (bounded). */
async function outcome(jobId: string, deadline: number): Promise<HttpResult> {
  for (;;) {
    const r = await admin.send('GET', `/zstack/v1/api-jobs/${jobId}`);
    if (r.status !== 202 || Date.now() > deadline) return r;
    await sleep(100);
  }
}

it('SIGTERM to identity-svc under updates: it finishes its commands and exits 0; every acknowledged update is in the log; no job left without an outcome', async () => {
  const accounts: string[] = [];
  for (let i = 0; i < ACCOUNTS; i++) {
    const r = await admin.job('POST', '/zstack/v1/accounts', { params: { name: `graceful-${i}`, password: sha512(`graceful-${i}`) } });
    expect(r.status).toBe(200);
    accounts.push(r.json.inventory.uuid);
  }

  const writes: Write[] = [];
  let running = true;
  const writers = Array.from({ length: WRITERS }, async (_, w) => {
    for (let n = 0; running; n++) {
      const jobId = newJobId();
      const write: Write = { jobId, account: accounts[w % ACCOUNTS], description: `writer ${w} write ${n} job ${jobId}`, first: null };
      writes.push(write);
      write.first = await send(write);
      if (!write.first) await sleep(100);
    }
  });

  await sleep(1000);
  // A rolling restart: the new identity-svc joins the queue group, then the old one gets SIGTERM.
  const victim = children.get('identity-svc')!;
  const fresh = spawnApp('identity-svc');
  children.set('identity-svc', fresh);
  await fresh.waitForLine(/identity-svc ready/, 30_000);
  await sleep(500);
  const acceptedBefore = writes.filter((w) => w.first?.status === 200).length;
  const signalledAt = Date.now();
  process.kill(victim.pid, 'SIGTERM');
  let bound: NodeJS.Timeout | undefined;
  const exit = await Promise.race([victim.exited, new Promise<string>((r) => { bound = setTimeout(() => r('still running'), EXIT_BOUND_MS + 5000); })]);
  clearTimeout(bound);
  const exitedAfterMs = Date.now() - signalledAt;
  if (exit !== 0) victim.killNow();
  await sleep(1500);
  running = false;
  await Promise.all(writers);

  expect({ exit, output: exit === 0 ? '' : victim.output() }).toEqual({ exit: 0, output: '' });
  expect(exitedAfterMs).toBeLessThan(EXIT_BOUND_MS);
  expect(acceptedBefore).toBeGreaterThan(0);
  expect(victim.text().split('\n').filter((line) => /"level":"(error|fatal)"/.test(line))).toEqual([]);

  // Every job has a final outcome: done (200) or failed with a ZStack error; none stays at 202.
  const deadline = Date.now() + 20_000;
  await Promise.all(writes.map(async (write) => {
    const first = write.first;
    write.final = first && first.status !== 202 ? first : await outcome(write.jobId, deadline);
  }));
  const stuck = writes.filter((w) => w.final!.status === 202 || w.final!.status === 404).map((w) => `${w.jobId} ${w.first?.status ?? 'no answer'} -> ${w.final!.status} ${w.final!.text}`);
  expect(stuck).toEqual([]);
  const notZStack = writes.filter((w) => w.final!.status !== 200).filter((w) => {
    const error = (w.final!.json as { error?: { code?: unknown; description?: unknown } } | undefined)?.error;
    return !(error && typeof error.code === 'string' && typeof error.description === 'string');
  }).map((w) => `${w.jobId} ${w.final!.status} ${w.final!.text}`);
  expect(notZStack).toEqual([]);

  // Every acknowledged update is in the log, with its description, once per job id.
  const store = new JetStreamEventStore(nc, { context: 'identity' });
  await store.init();
  // One commit per job id: its events share the stream version after the commit.
  const commits = new Map<string, Array<{ account: string; version: bigint; data: Record<string, unknown> }>>();
  for (const account of accounts) {
    for (const event of (await store.readStream(`account-${account}`)).events) {
      const list = commits.get(event.metadata.commandId) ?? [];
      if (!list.some((c) => c.account === account && c.version === event.streamVersion)) list.push({ account, version: event.streamVersion, data: event.data });
      commits.set(event.metadata.commandId, list);
    }
  }
  const acked = writes.filter((w) => w.final!.status === 200);
  expect(acked.length).toBeGreaterThan(acceptedBefore);
  const missing = acked.filter((w) => {
    const found = commits.get(w.jobId) ?? [];
    return found.length !== 1 || found[0].account !== w.account || found[0].data.description !== w.description;
  }).map((w) => `${w.jobId}: ${(commits.get(w.jobId) ?? []).map((c) => `${c.account}@${c.version} ${String(c.data.description)}`).join(', ') || 'not in the log'}`);
  expect(missing).toEqual([]);
  // No job id committed twice, acknowledged or not.
  const twice = [...commits].filter(([, list]) => list.length > 1).map(([id]) => id);
  expect(twice).toEqual([]);
  // Another replica was up throughout: each request was answered within the fast path. One the old
  // replica dropped (routed to it just before it unsubscribed) would wait it out: 202, then redelivered.
  const notAtOnce = writes.filter((w) => w.first?.status !== 200).map((w) => `${w.jobId} ${w.first?.status ?? 'no answer'} ${w.first?.text ?? ''}`);
  expect(notAtOnce).toEqual([]);
}, 60_000);

it('SIGTERM to the gateway, then to every service: each stops by itself with exit code 0 within the bound', async () => {
  const exits: Record<string, number | string> = {};
  for (const name of ['gateway', 'identity-svc', 'baremetal-svc', 'platform-svc', 'audit-svc'] as AppName[]) {
    const child = children.get(name)!;
    process.kill(child.pid, 'SIGTERM');
    let bound: NodeJS.Timeout | undefined;
    exits[name] = await Promise.race([child.exited, new Promise<string>((r) => { bound = setTimeout(() => r('still running'), EXIT_BOUND_MS); })]);
    clearTimeout(bound);
    if (exits[name] !== 0) child.killNow();
  }
  expect(exits).toEqual({ 'gateway': 0, 'identity-svc': 0, 'baremetal-svc': 0, 'platform-svc': 0, 'audit-svc': 0 });
}, 60_000);
