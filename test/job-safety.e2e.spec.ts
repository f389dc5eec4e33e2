import { createHash } from 'node:crypto';
import type { NatsConnection } from 'nats';
import { JOBS_BUCKET, JobStore, connectNats, credentialOf } from '@cp/bus';
import { JetStreamEventStore } from '@cp/event-store';
import { TestStack } from './support/stack';
import { newJobId, ZStackClient } from './support/zstack-client';

/**
 * Jobs under retries, crashes and other callers: a command id is applied once for as long as its
 * job lives (even after the store's duplicate window), a job's outcome is its owner's, and a secret
 * shown once is kept sealed at rest. The EVENTS stream's duplicate window is cut to 1 s, so that a
 * retry "hours later" is one JetStream no longer recognises.
 */
let stack: TestStack;
let nc: NatsConnection;
let jobs: JobStore;
let admin: ZStackClient;

const sha512 = (s: string) => createHash('sha512').update(s).digest('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function newAccount(name: string): Promise<{ uuid: string; client: ZStackClient }> {
  const r = await admin.job('POST', '/zstack/v1/accounts', { params: { name, password: sha512(name) } });
  expect(r.status).toBe(200);
  const client = new ZStackClient(stack.baseUrl);
  await client.login(name, sha512(name));
  return { uuid: r.json.inventory.uuid, client };
}

async function accountStream(uuid: string) {
  const store = new JetStreamEventStore(nc, { context: 'identity' });
  await store.init();
  return store.readStream(`account-${uuid}`);
}

beforeAll(async () => {
  stack = await TestStack.start();
  nc = await connectNats(stack.nats.url, 'job-safety-test');
  const jsm = await nc.jetstreamManager();
  const info = await jsm.streams.info('EVENTS');
  await jsm.streams.update('EVENTS', { ...info.config, duplicate_window: 1_000_000_000 });
  jobs = await JobStore.open(nc);
  admin = new ZStackClient(stack.baseUrl);
  await admin.login();
});

afterAll(async () => {
  await nc?.drain();
  await stack?.stop();
});

describe('a job belongs to the caller that started it', () => {
  let alice: { uuid: string; client: ZStackClient };
  let bob: { uuid: string; client: ZStackClient };
  const jobId = newJobId();
  let secret: string;
  let keyUuid: string;

  beforeAll(async () => {
    alice = await newAccount('job-alice');
    bob = await newAccount('job-bob');
    const r = await alice.client.job('POST', '/zstack/v1/accesskeys', { params: { accountUuid: alice.uuid } }, jobId);
    expect(r.status).toBe(200);
    secret = r.json.inventory.AccessKeySecret;
    keyUuid = r.json.inventory.uuid;
    expect(secret).toMatch(/^[A-Za-z0-9]{40}$/);
  });

  const poll = (client: ZStackClient | null, headers: Record<string, string> = {}) =>
    (client ?? new ZStackClient(stack.baseUrl)).send('GET', `/zstack/v1/api-jobs/${jobId}`, { headers });

  it('answers a poll without credentials, or by another account, as an unknown job', async () => {
    for (const r of [await poll(null), await poll(bob.client), await poll(null, { Authorization: 'OAuth ffffffffffffffffffffffffffffffff' })]) {
      expect(r.status).toBe(404);
      expect(r.text).toBe('the job has been expired');
      expect(r.text).not.toContain(secret);
    }
  });

  it('shows the owner its outcome, secret included, from the same session or a new one', async () => {
    const same = await poll(alice.client);
    expect(same.status).toBe(200);
    expect(same.json.inventory.AccessKeySecret).toBe(secret);
    const again = new ZStackClient(stack.baseUrl);
    await again.login('job-alice', sha512('job-alice'));
    const other = await poll(again);
    expect(other.status).toBe(200);
    expect(other.json.inventory.AccessKeySecret).toBe(secret);
  });

  it('shows the admin any outcome, but not a secret shown once to its owner', async () => {
    const r = await poll(admin);
    expect(r.status).toBe(200);
    expect(r.json.inventory.uuid).toBe(keyUuid);
    expect(r.json.inventory.AccessKeySecret).toBeUndefined();
  });

  it('refuses the job id to another caller with 400, and runs nothing for it', async () => {
    const r = await bob.client.send('POST', '/zstack/v1/accesskeys', {
      body: { params: { accountUuid: bob.uuid } }, headers: { 'X-Job-UUID': jobId },
    });
    expect(r.status).toBe(400);
    expect(r.text).toBe(`Duplicate job uuid[${jobId}]`);
    const keys = await bob.client.send('GET', `/zstack/v1/accesskeys?q=accountUuid=${bob.uuid}`);
    expect(keys.json.inventories).toEqual([]);
  });

  it('gives the owner its first outcome again on a retry', async () => {
    const r = await alice.client.job('POST', '/zstack/v1/accesskeys', { params: { accountUuid: alice.uuid } }, jobId);
    expect(r.status).toBe(200);
    expect(r.json.inventory).toMatchObject({ uuid: keyUuid, AccessKeySecret: secret });
    const keys = await alice.client.send('GET', `/zstack/v1/accesskeys?q=accountUuid=${alice.uuid}`);
    expect(keys.json.inventories).toHaveLength(1);
  });

  it('keeps the secret sealed in the job bucket', async () => {
    const kv = await nc.jetstream().views.kv(JOBS_BUCKET);
    const raw = (await kv.get(jobId))!.string();
    expect(raw).not.toContain(secret);
    const record = JSON.parse(raw);
    expect(record.sealed['inventory.AccessKeySecret']).toEqual({ keyId: expect.any(String), ciphertext: expect.any(String) });
    expect(record.owner).toEqual({ credential: credentialOf({ sessionUuid: alice.client.session }), accountUuid: alice.uuid });
    expect(raw).not.toContain(alice.client.session!);
  });
});

describe('a command id is applied once for as long as its job lives', () => {
  /**
   * What a replica that died after its append and before recording the outcome leaves behind: the
   * commit in the log, and its claim on the job with a lease that has run out.
   */
  async function diedAfterAppend(jobId: string, accountUuid: string, description: string): Promise<void> {
    const store = new JetStreamEventStore(nc, { context: 'identity' });
    await store.init();
    const { version } = await store.readStream(`account-${accountUuid}`);
    await store.append(`account-${accountUuid}`, [{ type: 'AccountUpdated', data: { uuid: accountUuid, description, lastOpDate: new Date().toISOString() } }], version!, {
      commitId: jobId,
      metadata: { commandId: jobId, correlationId: jobId, causationId: jobId, actor: { accountUuid: null, via: 'rest' }, occurredAt: new Date().toISOString() },
    });
    await jobs.put(jobId, {
      state: 'running', api: 'UpdateAccount', owner: { credential: credentialOf({ sessionUuid: admin.session }) },
      leaseUntil: new Date(Date.now() - 1000).toISOString(),
    });
  }

  it('does not apply a retry again after the duplicate window, and does not set back a newer update', async () => {
    const carol = await newAccount('job-carol');
    const first = newJobId();
    await diedAfterAppend(first, carol.uuid, 'stale');
    const newer = await admin.job('PUT', `/zstack/v1/accounts/${carol.uuid}`, { updateAccount: { description: 'newer' } });
    expect(newer.json.inventory.description).toBe('newer');
    await sleep(1500);

    const retry = await admin.job('PUT', `/zstack/v1/accounts/${carol.uuid}`, { updateAccount: { description: 'stale' } }, first);
    expect(retry.status).toBe(200);
    expect(retry.json.inventory.description).toBe('stale');
    const { events } = await accountStream(carol.uuid);
    expect(events.filter((e) => e.metadata.commandId === first)).toHaveLength(1);
    const now = await admin.send('GET', `/zstack/v1/accounts/${carol.uuid}`);
    expect(now.json.inventories[0].description).toBe('newer');
    expect((await jobs.get(first))?.state).toBe('done');
  });

  it('applies a command whose dead attempt never appended, once', async () => {
    const dave = await newAccount('job-dave');
    const jobId = newJobId();
    await jobs.put(jobId, {
      state: 'running', api: 'UpdateAccount', owner: { credential: credentialOf({ sessionUuid: admin.session }) },
      leaseUntil: new Date(Date.now() - 1000).toISOString(),
    });
    const [a, b] = await Promise.all([1, 2].map(() =>
      admin.job('PUT', `/zstack/v1/accounts/${dave.uuid}`, { updateAccount: { description: 'once' } }, jobId)));
    expect(a.json.inventory.description).toBe('once');
    expect(b.json.inventory.description).toBe('once');
    const { events } = await accountStream(dave.uuid);
    expect(events.filter((e) => e.metadata.commandId === jobId)).toHaveLength(1);
  });

  it('waits for a running attempt instead of deciding again beside it', async () => {
    const erin = await newAccount('job-erin');
    const jobId = newJobId();
    await jobs.put(jobId, {
      state: 'running', api: 'UpdateAccount', owner: { credential: credentialOf({ sessionUuid: admin.session }) },
      leaseUntil: new Date(Date.now() + 60_000).toISOString(),
    });
    const r = await admin.send('PUT', `/zstack/v1/accounts/${erin.uuid}`, {
      body: { updateAccount: { description: 'not now' } }, headers: { 'X-Job-UUID': jobId },
    });
    expect(r.status).toBe(202);
    expect((await admin.send('GET', `/zstack/v1/api-jobs/${jobId}`)).status).toBe(202);
    const { events } = await accountStream(erin.uuid);
    expect(events.filter((e) => e.metadata.commandId === jobId)).toHaveLength(0);
  });
});

describe('concurrent updates of one account', () => {
  it('all succeed: conflicts are retried with jitter until a deadline, not five times', async () => {
    const frank = await newAccount('job-frank');
    const codes: string[] = [];
    await Promise.all([0, 1, 2, 3].map(async (writer) => {
      for (let i = 0; i < 60; i++) {
        const r = await admin.job('PUT', `/zstack/v1/accounts/${frank.uuid}`, { updateAccount: { description: `w${writer}-${i}` } });
        codes.push(r.status === 200 ? 'ok' : r.json?.error?.code ?? String(r.status));
      }
    }));
    expect(codes.filter((c) => c !== 'ok')).toEqual([]);
  });
});
