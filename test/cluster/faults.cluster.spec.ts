import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, type NatsConnection } from 'nats';
import { signalProcess } from '@cp/testing';
import { launchStack, processesOf, type LaunchedStack } from '../support/launcher';
import { ZStackClient } from '../support/zstack-client';
import { Writers, type Write } from './writers';

/**
 * The fault suite (issue 16, part 3), on `npm run start:cluster`: kill -9 a nats-server node, kill -9
 * an identity-svc replica, a rolling restart of every replica and gateway, and kill -9 of every
 * process at once, each under a stream of UpdateAccount writes spread over both gateways. After each:
 * every acknowledged write is in the log exactly once, and (but for the kill of everything) no write
 * failed. The gaps are printed. Bounded in time, 127.0.0.1 only. With nats-server 2.10+
 * (NATS_SERVER_BIN) every node fsyncs every write (`sync_interval: always`).
 */
const sha512 = (s: string) => createHash('sha512').update(s).digest('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const WRITERS = 6;
const figures: string[] = [];

let stack: LaunchedStack;
let gateways: string[];
let admin: ZStackClient;
let accounts: string[];

async function start(dataDir?: string): Promise<void> {
  stack = await launchStack({}, { cluster: true, dataDir });
  gateways = [stack.baseUrl, stack.baseUrl.replace(/:(\d+)$/, (_, p: string) => `:${Number(p) + 1}`)];
  admin = new ZStackClient(gateways[0]);
  await admin.login();
}

beforeAll(async () => {
  await start();
  // The writers spread over 24 accounts: the suite is about faults, not about one aggregate's
  // contention (a hot stream that grows for the whole suite makes every version conflict reread it:
  // docs/production.md, "Hot aggregates").
  accounts = [];
  for (let i = 0; i < 24; i++) {
    const r = await admin.job('POST', '/zstack/v1/accounts', { params: { name: `fault-${i}`, password: sha512('pw') } });
    accounts.push(r.json.inventory.uuid);
  }
}, 180_000);

afterAll(async () => {
  await stack?.stop();
  process.stdout.write(`\nfault suite figures:\n${figures.map((f) => `  ${f}`).join('\n')}\n`);
}, 120_000);

/**
 * The commit ids of every account commit in the log, read from the stream's leader message by
 * message (`$JS.API.STREAM.MSG.GET` with `next_by_subj`): what the cluster has committed, whatever a
 * follower's copy holds.
 */
async function accountCommits(): Promise<string[]> {
  const servers = readFileSync(join(stack.dataDir, 'nats.url'), 'utf8').trim().split(',');
  const nc: NatsConnection = await connect({ servers, timeout: 5000 });
  try {
    const ids: string[] = [];
    for (let seq = 1; ;) {
      const reply = await nc.request('$JS.API.STREAM.MSG.GET.EVENTS', Buffer.from(JSON.stringify({ seq, next_by_subj: 'events.identity.account.>' })), { timeout: 5000 });
      const body = JSON.parse(Buffer.from(reply.data).toString('utf8')) as { message?: { seq: number; data: string }; error?: { err_code: number; description: string } };
      if (body.error?.err_code === 10037) return ids;
      if (!body.message) throw new Error(`get from the stream leader: ${body.error?.description}`);
      const commit = JSON.parse(Buffer.from(body.message.data, 'base64').toString('utf8')) as { events: Array<{ type: string; metadata: { commandId: string } }> };
      for (const e of commit.events) if (e.type === 'AccountUpdated') ids.push(e.metadata.commandId);
      seq = body.message.seq + 1;
    }
  } finally {
    await nc.close();
  }
}

/**
 * Every acknowledged write is in the log once; no write appears twice. Checked again (for up to
 * 30 s) while the stream has no leader (right after a node was lost).
 */
async function expectLogHolds(writes: Write[]): Promise<void> {
  const acknowledged = writes.filter((w) => w.ackedAt !== undefined);
  expect(acknowledged.length).toBeGreaterThan(0);
  const deadline = Date.now() + 30_000;
  for (;;) {
    const byCommand = new Map<string, number>();
    // A read right after a node came back may find no server for its consumer yet: again, within the bound.
    const ids = await accountCommits().catch((error: Error) => (Date.now() > deadline ? Promise.reject(error) : null));
    if (!ids) {
      await sleep(1000);
      continue;
    }
    for (const id of ids) byCommand.set(id, (byCommand.get(id) ?? 0) + 1);
    const missing = acknowledged.filter((w) => byCommand.get(w.jobId) !== 1).map((w) => `${w.jobId} stored ${byCommand.get(w.jobId) ?? 0} times`);
    if (missing.length === 0 || Date.now() > deadline) {
      expect(missing).toEqual([]);
      expect([...byCommand.values()].filter((n) => n > 1)).toEqual([]);
      return;
    }
    await sleep(1000);
  }
}

/** Writes for `before` ms, then `fault()`, then `after` ms more. */
async function underLoad(before: number, fault: () => Promise<void>, after: number): Promise<{ writers: Writers; faultAt: number }> {
  const writers = new Writers(gateways, admin.session!, accounts);
  writers.start(WRITERS);
  await sleep(before);
  const faultAt = Date.now();
  await fault();
  await sleep(after);
  await writers.stop();
  return { writers, faultAt };
}

/** The node leading the event stream (its Raft leader), by the launcher's name for it. */
async function streamLeader(): Promise<string> {
  const servers = readFileSync(join(stack.dataDir, 'nats.url'), 'utf8').trim().split(',');
  const nc = await connect({ servers, timeout: 5000 });
  try {
    const info = await (await nc.jetstreamManager()).streams.info('EVENTS');
    return `nats-server-${info.cluster!.leader!.replace('node-', '')}`;
  } finally {
    await nc.close();
  }
}

async function waitForNewPid(name: string, old: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pid = stack.pids()[name];
    if (pid && pid !== old) return pid;
    if (Date.now() > deadline) throw new Error(`${name} was not restarted within ${timeoutMs} ms`);
    await sleep(100);
  }
}

it('kill -9 of the nats-server node leading the event stream: no acknowledged write lost, writes resume by themselves', async () => {
  const leader = await streamLeader();
  const { writers, faultAt } = await underLoad(2000, async () => signalProcess(stack.pids()[leader], 'SIGKILL'), 8000);
  const gap = writers.longestGapAfter(faultAt);
  figures.push(`kill -9 ${leader} (stream leader): ${writers.acknowledged.length} writes acknowledged, ${writers.failed.length} failed, longest gap without an acknowledgement ${gap} ms`);
  expect(writers.failed.map((w) => w.outcome)).toEqual([]);
  // Writes resumed: acknowledged after the fault, the last second included.
  expect(writers.acknowledged.some((w) => w.ackedAt! > faultAt + 6000)).toBe(true);
  await expectLogHolds(writers.writes);
}, 120_000);

it('kill -9 of one identity-svc replica: the other serves, every job has a final outcome, nothing applied twice', async () => {
  const { writers, faultAt } = await underLoad(2000, async () => signalProcess(stack.pids()['identity-svc'], 'SIGKILL'), 6000);
  const gap = writers.longestGapAfter(faultAt);
  figures.push(`kill -9 identity-svc (one of two): ${writers.acknowledged.length} acknowledged, ${writers.failed.length} failed, longest gap ${gap} ms`);
  expect(writers.writes.every((w) => w.outcome !== undefined)).toBe(true);
  expect(writers.failed.map((w) => w.outcome)).toEqual([]);
  await expectLogHolds(writers.writes);
}, 120_000);

it('a rolling restart of every replica and gateway under load (SIGTERM, one at a time): no failed request', async () => {
  const started = Date.now();
  const order = ['identity-svc', 'identity-svc-2', 'baremetal-svc', 'baremetal-svc-2', 'platform-svc', 'platform-svc-2', 'audit-svc', 'audit-svc-2', 'gateway', 'gateway-2'];
  const { writers } = await underLoad(1000, async () => {
    for (const name of order) {
      const old = stack.pids()[name];
      signalProcess(old, 'SIGTERM');
      await waitForNewPid(name, old, 30_000);
      // Back in its queue group (or listening) before the next one goes.
      await stack.waitHealthy(30_000);
      await sleep(1500);
    }
  }, 1000);
  figures.push(`rolling restart of ${order.length} processes in ${((Date.now() - started) / 1000).toFixed(1)} s: ${writers.acknowledged.length} acknowledged, ${writers.failed.length} failed`);
  expect(writers.failed.map((w) => `${w.jobId}: ${w.outcome}`)).toEqual([]);
  await expectLogHolds(writers.writes);
}, 240_000);

it('kill -9 of every process at once, then a restart: no acknowledged write lost', async () => {
  const dataDir = stack.dataDir;
  const writers = new Writers(gateways, admin.session!, accounts, 3000);
  writers.start(WRITERS);
  await sleep(2000);
  for (const pid of processesOf(dataDir)) signalProcess(pid, 'SIGKILL');
  for (const pid of Object.values(stack.pids())) signalProcess(pid, 'SIGKILL');
  const killedAt = Date.now();
  await writers.stop();
  await stack.exited;
  const restarted = Date.now();
  await start(dataDir);
  figures.push(`kill -9 of everything: ${writers.acknowledged.length} writes acknowledged before it; back up in ${((Date.now() - restarted) / 1000).toFixed(1)} s`);
  // Only what was acknowledged before the kill counts (a write in flight may or may not be stored).
  await expectLogHolds(writers.writes.filter((w) => w.ackedAt !== undefined && w.ackedAt < killedAt));
}, 240_000);
