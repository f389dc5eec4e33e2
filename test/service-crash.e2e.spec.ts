import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NatsConnection } from 'nats';
import { connectNats } from '@cp/bus';
import type { Context } from '@cp/contracts';
import { JetStreamEventStore } from '@cp/event-store';
import { launchStack, type LaunchedStack } from './support/launcher';
import { newJobId, ZStackClient, type HttpResult } from './support/zstack-client';

/**
 * Fault suite: `kill -9` of each app of `npm start` while clients write through the gateway. The
 * launcher restarts it; writes acknowledged before, during and after the crash are all in the log;
 * every write left without an answer is retried with its job id after the store's duplicate window
 * (cut to 1 s here) and ends applied exactly once; the stack serves again by itself. Bounded: about
 * 8 s of load per crash, 127.0.0.1 only.
 */
const sha512 = (s: string) => createHash('sha512').update(s).digest('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const WRITERS = 6;

let stack: LaunchedStack;
let nc: NatsConnection;
let admin: ZStackClient;

const kickstart = (extra: string) => [
  'url --url={{ REPO_URL }}', 'user --name={{ USERNAME }}', 'rootpw --iscrypted {{ PASSWORD }}', '{{ NETWORK_CFGS }}',
  '{{ FORCE_INSTALL }}', '%pre', '{{ PRE_SCRIPTS }}', '%end', '%post', '{{ POST_SCRIPTS }}', '%end', extra, '',
].join('\n');

beforeAll(async () => {
  stack = await launchStack({ START_RESTART_DELAY_MS: '200' });
  nc = await connectNats(readFileSync(join(stack.dataDir, 'nats.url'), 'utf8').trim(), 'crash-test');
  const jsm = await nc.jetstreamManager();
  const info = await jsm.streams.info('EVENTS');
  await jsm.streams.update('EVENTS', { ...info.config, duplicate_window: 1_000_000_000 });
  admin = new ZStackClient(stack.baseUrl);
  await admin.login();
}, 120_000);

afterAll(async () => {
  await nc?.drain().catch(() => undefined);
  await stack?.stop();
});

interface Write {
  jobId: string;
  path: string;
  body: unknown;
  acked: boolean;
}

/** One kind of write per service, on one resource per writer. */
interface Target {
  app: string;
  context: Context;
  category: string;
  prepare(writer: number): Promise<string>;
  write(uuid: string, n: number): { path: string; body: unknown };
}

const targets: Target[] = [
  {
    app: 'identity-svc', context: 'identity', category: 'account',
    async prepare(writer) {
      const r = await admin.job('POST', '/zstack/v1/accounts', { params: { name: `crash-${writer}`, password: sha512('x') } });
      return r.json.inventory.uuid;
    },
    write: (uuid, n) => ({ path: `/zstack/v1/accounts/${uuid}`, body: { updateAccount: { description: `write ${n}` } } }),
  },
  {
    app: 'baremetal-svc', context: 'baremetal', category: 'preconfigtemplate',
    async prepare(writer) {
      const r = await admin.job('POST', '/zstack/v1/baremetal/preconfigurations', {
        params: { name: `crash-${writer}`, distribution: 'centos-x86_64', type: 'kickstart', content: kickstart('# 0') },
      });
      return r.json.inventory.uuid;
    },
    write: (uuid, n) => ({ path: `/zstack/v1/baremetal/preconfigurations/${uuid}/actions`, body: { updatePreconfigurationTemplate: { description: `write ${n}` } } }),
  },
  {
    // The gateway itself: its in-flight requests are lost with it; their job ids are retried.
    app: 'gateway', context: 'identity', category: 'account',
    async prepare(writer) {
      const r = await admin.job('POST', '/zstack/v1/accounts', { params: { name: `crash-gw-${writer}`, password: sha512('x') } });
      return r.json.inventory.uuid;
    },
    write: (uuid, n) => ({ path: `/zstack/v1/accounts/${uuid}`, body: { updateAccount: { description: `write ${n}` } } }),
  },
];

async function send(write: Write): Promise<HttpResult | null> {
  try {
    return await admin.send('PUT', write.path, { body: write.body, headers: { 'X-Job-UUID': write.jobId } });
  } catch {
    return null; // the gateway is down: no answer
  }
}

/** Retries a write with its job id until it has an outcome (the gateway's poll included). */
async function settle(write: Write, deadline: number): Promise<HttpResult> {
  for (;;) {
    const r = await send(write);
    const final = r && (r.status === 200 ? r : r.status === 202 ? await admin.poll(r.json.location, 3000).catch(() => null) : r);
    if (final && final.status === 200) return final;
    if (Date.now() > deadline) throw new Error(`job ${write.jobId} has no outcome: ${final?.status} ${final?.text}`);
    await sleep(250);
  }
}

async function commandIdsIn(context: Context, streams: string[]): Promise<string[]> {
  const store = new JetStreamEventStore(nc, { context });
  await store.init();
  const ids: string[] = [];
  for (const stream of streams) ids.push(...(await store.readStream(stream)).events.map((e) => e.metadata.commandId));
  return ids;
}

describe.each(targets)('kill -9 of $app under writes', (target) => {
  it('loses no acknowledged write, applies none twice, and serves again by itself', async () => {
    const uuids = await Promise.all(Array.from({ length: WRITERS }, (_, w) => target.prepare(w)));
    const writes: Write[] = [];
    let running = true;
    const writers = uuids.map(async (uuid) => {
      for (let n = 0; running; n++) {
        const write: Write = { jobId: newJobId(), ...target.write(uuid, n), acked: false };
        writes.push(write);
        const r = await send(write);
        write.acked = r?.status === 200;
        if (!r) await sleep(100);
      }
    });
    await sleep(1500);
    const victim = stack.pids()[target.app];
    process.kill(victim, 'SIGKILL');
    await sleep(4000);
    running = false;
    await Promise.all(writers);

    await stack.waitHealthy(60_000);
    expect(stack.pids()[target.app]).not.toBe(victim);
    expect(stack.output()).toContain(`${target.app} exited (SIGKILL)`);
    await sleep(1200); // past the duplicate window

    const deadline = Date.now() + 60_000;
    for (const write of writes.filter((w) => !w.acked)) await settle(write, deadline);
    const ids = await commandIdsIn(target.context, uuids.map((u) => `${target.category}-${u}`));
    const counts = new Map<string, number>();
    for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
    expect(writes.filter((w) => w.acked).length).toBeGreaterThan(0);
    expect(writes.filter((w) => (counts.get(w.jobId) ?? 0) !== 1).map((w) => `${w.jobId} x${counts.get(w.jobId) ?? 0}`)).toEqual([]);
  }, 120_000);
});

it.each(['platform-svc', 'audit-svc'])('kill -9 of %s: restarted, and the stack serves again', async (app) => {
  const victim = stack.pids()[app];
  process.kill(victim, 'SIGKILL');
  await sleep(500);
  await stack.waitHealthy(60_000);
  expect(stack.pids()[app]).not.toBe(victim);
  const audit = await new ZStackClient(stack.baseUrl).send('GET', '/api/v1/audit/events?limit=1', { headers: { Authorization: `Bearer ${admin.session}` } });
  expect(audit.status).toBe(200);
}, 90_000);
