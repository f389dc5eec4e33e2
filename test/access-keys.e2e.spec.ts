import { createHash, createHmac, randomBytes } from 'node:crypto';
import { ADMIN_ACCOUNT_UUID } from '@cp/contracts';
import { connectNats } from '@cp/bus';
import { JetStreamEventStore } from '@cp/event-store';
import { TestStack } from './support/stack';
import { newJobId, ZStackClient, type HttpResult } from './support/zstack-client';
import { capturePrinted } from './support/printed';

/**
 * Access keys (ZStack §9) and requests signed with them, over real HTTP and NATS: every API with its
 * errors and permissions, `Authorization: ZStack <AccessKeyID>:<Signature>` on sync and async APIs,
 * and a scan that no secret (nor the master key) is in the log or the printed output.
 */
const MASTER_KEY = randomBytes(32).toString('base64');
const ZSTACK_DATE = /^[A-Z][a-z]{2} \d{1,2}, \d{4} \d{1,2}:\d{2}:\d{2} [AP]M$/;
const KEY_CLASS = 'org.zstack.accessKey.AccessKeyInventory';
const INVENTORY_FIELDS = ['uuid', 'description', 'accountUuid', 'userUuid', 'AccessKeyID', 'AccessKeySecret', 'state', 'type', 'createDate', 'lastOpDate'];

let stack: TestStack;
let admin: ZStackClient;
/** Everything the apps print during the run, for the secret scan at the end. */
const printed = capturePrinted();
/** Every secret the run saw, and every reply body that is not a CreateAccessKey result. */
const secrets = new Set<string>();
/** Secrets sent in refused creates: never stored, never quoted. */
const refusedSecrets = new Set<string>();
const otherReplies: string[] = [];

const sha512 = (text: string) => createHash('sha512').update(text).digest('hex');

interface Key {
  uuid: string;
  id: string;
  secret: string;
}

beforeAll(async () => {
  stack = await TestStack.start({ env: { ENCRYPTION_KEY: MASTER_KEY } });
  admin = new ZStackClient(stack.baseUrl);
  await admin.login();
});

afterAll(async () => {
  await stack?.stop();
});

/** What a client signs: `METHOD\nDATE\n/v1<path>`, the path without `/zstack` and the query string. */
function signature(secret: string, method: string, date: string, url: string): string {
  const path = url.split('?')[0].replace(/^\/zstack/, '');
  return createHmac('sha1', secret).update(`${method}\n${date}\n${path}`).digest('base64');
}

/** An HTTP call signed with an access key; `date` defaults to now (RFC 1123, `... GMT`). */
async function signed(
  key: { id: string; secret: string }, method: string, url: string,
  options: { body?: unknown; date?: string | null; headers?: Record<string, string>; signAs?: { method?: string; url?: string }; scanned?: boolean } = {},
): Promise<HttpResult> {
  const date = options.date === undefined ? new Date().toUTCString() : options.date;
  const sig = signature(key.secret, options.signAs?.method ?? method, date ?? '', options.signAs?.url ?? url);
  const headers: Record<string, string> = { Authorization: `ZStack ${key.id}:${sig}`, ...(options.headers ?? {}) };
  if (date !== null) headers.Date = date;
  const r = await new ZStackClient(stack.baseUrl).send(method, url, { body: options.body, headers });
  if (options.scanned !== false) otherReplies.push(r.text);
  return r;
}

/** A signed async call followed to its end through the job poll. */
async function signedJob(key: { id: string; secret: string }, method: string, url: string, body?: unknown): Promise<{ first: HttpResult; polled: HttpResult }> {
  const jobId = newJobId();
  const first = await signed(key, method, url, { body, headers: { 'X-Job-UUID': jobId } });
  // The SDK signs its polls with the same key: only the job's owner reads its outcome.
  const poll = () => signed(key, 'GET', `/zstack/v1/api-jobs/${jobId}`, { scanned: !(method === 'POST' && url === '/zstack/v1/accesskeys') });
  let polled = await poll();
  for (let i = 0; polled.status === 202 && i < 100; i++) {
    await new Promise((r) => setTimeout(r, 50));
    polled = await poll();
  }
  return { first, polled };
}

/** An async call as `client`, followed to its end; the reply is kept for the scan unless it is a create. */
async function call(client: ZStackClient, method: string, url: string, body?: unknown): Promise<HttpResult> {
  const r = await client.job(method, url, body);
  if (!(method === 'POST' && url === '/zstack/v1/accesskeys' && r.status === 200)) otherReplies.push(r.text);
  return r;
}

async function createKey(client: ZStackClient, params: Record<string, unknown>): Promise<Key> {
  const r = await client.job('POST', '/zstack/v1/accesskeys', { params });
  expect(r.status).toBe(200);
  const inv = r.json.inventory;
  secrets.add(inv.AccessKeySecret);
  return { uuid: inv.uuid, id: inv.AccessKeyID, secret: inv.AccessKeySecret };
}

async function createAccount(name: string): Promise<{ uuid: string; client: ZStackClient }> {
  const r = await admin.job('POST', '/zstack/v1/accounts', { params: { name, password: sha512(name) } });
  expect(r.status).toBe(200);
  const client = new ZStackClient(stack.baseUrl);
  await client.login(name, sha512(name));
  return { uuid: r.json.inventory.uuid, client };
}

async function query(client: ZStackClient, url: string): Promise<HttpResult> {
  const r = await client.send('GET', url);
  otherReplies.push(r.text);
  return r;
}

describe('CreateAccessKey', () => {
  it('generates an AccessKeyID and a secret, shows the secret in the reply and its poll only, and never in a query', async () => {
    const alice = await createAccount('ak-alice');
    const jobId = newJobId();
    const r = await admin.send('POST', '/zstack/v1/accesskeys', {
      body: { params: { accountUuid: alice.uuid, description: 'for CI' } }, headers: { 'X-Job-UUID': jobId, 'X-JSON-Schema': 'true' },
    });
    expect(r.status).toBe(200);
    const inv = r.json.inventory;
    secrets.add(inv.AccessKeySecret);
    expect(Object.keys(inv)).toEqual(INVENTORY_FIELDS);
    expect(inv).toMatchObject({ description: 'for CI', accountUuid: alice.uuid, userUuid: alice.uuid, state: 'Enabled', type: 'User' });
    expect(inv.AccessKeyID).toMatch(/^[A-Za-z0-9]{20}$/);
    expect(inv.AccessKeySecret).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(inv.createDate).toMatch(ZSTACK_DATE);
    expect(r.json.schema).toEqual({ inventory: KEY_CLASS });

    const polled = await admin.send('GET', `/zstack/v1/api-jobs/${jobId}`, { headers: { 'X-JSON-Schema': 'true' } });
    expect(polled.status).toBe(200);
    expect(polled.json.inventory).toEqual(inv);

    for (const url of ['/zstack/v1/accesskeys', `/zstack/v1/accesskeys/${inv.uuid}`, `/zstack/v1/accesskeys?q=AccessKeyID=${inv.AccessKeyID}`]) {
      const q = await query(admin, url);
      expect(q.status).toBe(200);
      const row = q.json.inventories.find((i: { uuid: string }) => i.uuid === inv.uuid);
      expect(Object.keys(row)).toEqual(INVENTORY_FIELDS.filter((f) => f !== 'AccessKeySecret'));
      expect(q.text).not.toContain(inv.AccessKeySecret);
      expect(q.json.schema['inventories[0]']).toBe(KEY_CLASS);
    }
    const bySecret = await query(admin, `/zstack/v1/accesskeys?q=AccessKeySecret=${inv.AccessKeySecret}`);
    expect(bySecret.status).toBe(503);
    expect(bySecret.json.error.code).toBe('SYS.1007');
    expect((await query(admin, '/zstack/v1/accesskeys?fields=AccessKeySecret')).json.error.code).toBe('SYS.1007');
  });

  it('takes a given AccessKeyID and secret, and keeps AccessKeyIDs unique', async () => {
    const owner = await createAccount('ak-given');
    const given = { AccessKeyID: 'GivenKeyId01', AccessKeySecret: 'given-secret-0123456789' };
    secrets.add(given.AccessKeySecret);
    const key = await createKey(admin, { accountUuid: owner.uuid, ...given });
    expect(key).toMatchObject({ id: 'GivenKeyId01', secret: 'given-secret-0123456789' });
    const other = await createAccount('ak-given-2');
    const dup = await call(admin, 'POST', '/zstack/v1/accesskeys', { params: { accountUuid: other.uuid, AccessKeyID: 'GivenKeyId01', AccessKeySecret: 'another-secret-0123' } });
    expect(dup.status).toBe(503);
    expect(dup.json.error).toMatchObject({ code: 'SYS.1007', details: 'the AccessKeyID[GivenKeyId01] is already in use' });
  });

  it.each([
    ['no accountUuid', { accountUuid: undefined }, 'SYS.1007', 'field[accountUuid] of message[APICreateAccessKeyMsg] is mandatory, can not be null'],
    ['an AccessKeyID of 9 characters', { AccessKeyID: 'a'.repeat(9), AccessKeySecret: 's'.repeat(12) }, 'SYS.1007',
      'field[AccessKeyID] of message[APICreateAccessKeyMsg] is shorter than min length of string. expected was >= 10, actual was 9'],
    ['an AccessKeyID of 21 characters', { AccessKeyID: 'a'.repeat(21), AccessKeySecret: 's'.repeat(12) }, 'SYS.1007',
      'field[AccessKeyID] of message[APICreateAccessKeyMsg] exceeds max length of string. expected was <= 20, actual was 21'],
    ['a secret of 41 characters', { AccessKeyID: 'a'.repeat(12), AccessKeySecret: 's'.repeat(41) }, 'SYS.1007',
      'field[AccessKeySecret] of message[APICreateAccessKeyMsg] exceeds max length of string. expected was <= 40, actual was 41'],
    ['a description over 2048 characters', { description: 'd'.repeat(2049) }, 'SYS.1007',
      'field[description] of message[APICreateAccessKeyMsg] exceeds max length of string. expected was <= 2048, actual was 2049'],
    ['an AccessKeyID without a secret', { AccessKeyID: 'OnlyTheId01' }, 'SYS.1007',
      'If a specified Accesskey is expected, the AccesskeyId and the AccesskeySecret must be provided at the same time.'],
    ['a colon in the secret', { AccessKeyID: 'ColonKey0001', AccessKeySecret: 'has:a:colon-123' }, 'SYS.1007', "Access key ID and secret cannot contain ':'"],
  ])('reports %s through the job', async (_what, params, code, details) => {
    const first = await admin.send('POST', '/zstack/v1/accesskeys', { body: { params: { accountUuid: ADMIN_ACCOUNT_UUID, ...params } }, headers: { 'X-Job-UUID': newJobId() } });
    expect(first.status).toBe(202);
    const r = await admin.poll(first.json.location);
    otherReplies.push(r.text);
    expect(r.status).toBe(503);
    expect(r.json.error).toMatchObject({ code, details });
  });

  it('never quotes a secret of the wrong type (a bus caller can send any JSON)', async () => {
    refusedSecrets.add('12345678901234');
    const nc = await connectNats(stack.nats.url, 'typed-secret');
    try {
      const msg = await nc.request('identity.cmd.CreateAccessKey', Buffer.from(JSON.stringify({
        commandId: newJobId(), auth: { sessionUuid: admin.session },
        payload: { accountUuid: ADMIN_ACCOUNT_UUID, AccessKeyID: 'NumericSecret1', AccessKeySecret: 12345678901234 },
      })), { timeout: 5000 });
      const reply = JSON.parse(Buffer.from(msg.data).toString('utf8'));
      otherReplies.push(JSON.stringify(reply));
      expect(reply.error).toMatchObject({ code: 'SYS.1007', details: 'field[AccessKeySecret] of message[APICreateAccessKeyMsg] must be a string' });
    } finally {
      await nc.drain();
    }
  });

  it('refuses an account that does not exist with SYS.1003', async () => {
    const missing = 'a'.repeat(32);
    const r = await call(admin, 'POST', '/zstack/v1/accesskeys', { params: { accountUuid: missing } });
    expect(r.json.error).toMatchObject({ code: 'SYS.1003', details: `invalid field[accountUuid], resource[uuid:${missing}, type:AccountVO] not found` });
  });

  it('allows at most 2 keys per account (ID.1003), and a deleted key frees its place', async () => {
    const owner = await createAccount('ak-quota');
    const first = await createKey(owner.client, { accountUuid: owner.uuid });
    await createKey(owner.client, { accountUuid: owner.uuid });
    const third = await call(owner.client, 'POST', '/zstack/v1/accesskeys', { params: { accountUuid: owner.uuid } });
    expect(third.status).toBe(503);
    expect(third.json.error).toEqual({
      code: 'ID.1003', description: 'The user exceeds a quota of a resource',
      details: `The number of access keys for account[uuid=${owner.uuid}] has exceeded the maximum limit`,
    });
    expect((await call(owner.client, 'DELETE', `/zstack/v1/accesskeys/${first.uuid}`)).status).toBe(200);
    await createKey(owner.client, { accountUuid: owner.uuid });
  });

  it('holds the quota when creates race', async () => {
    const owner = await createAccount('ak-race');
    const results = await Promise.all(Array.from({ length: 6 }, () => call(owner.client, 'POST', '/zstack/v1/accesskeys', { params: { accountUuid: owner.uuid } })));
    const ok = results.filter((r) => r.status === 200);
    for (const r of ok) secrets.add(r.json.inventory.AccessKeySecret);
    expect(ok).toHaveLength(2);
    expect(results.filter((r) => r.json?.error?.code === 'ID.1003')).toHaveLength(4);
    expect((await query(owner.client, '/zstack/v1/accesskeys?count=true')).json.total).toBe(2);
  });

  it('reports an invalid session as ID.1001 through the job', async () => {
    const stranger = new ZStackClient(stack.baseUrl, 'ffffffffffffffffffffffffffffffff');
    const r = await call(stranger, 'POST', '/zstack/v1/accesskeys', { params: { accountUuid: ADMIN_ACCOUNT_UUID } });
    expect(r.json.error).toMatchObject({ code: 'ID.1001', details: 'Session expired' });
  });
});

describe('permissions', () => {
  let carol: { uuid: string; client: ZStackClient };
  let dave: { uuid: string; client: ZStackClient };
  let carolsKey: Key;

  beforeAll(async () => {
    carol = await createAccount('ak-carol');
    dave = await createAccount('ak-dave');
    carolsKey = await createKey(carol.client, { accountUuid: carol.uuid });
    await createKey(dave.client, { accountUuid: dave.uuid, description: 'daves' });
  });

  it('lets a normal account create keys only for itself (ID.1002)', async () => {
    const r = await call(dave.client, 'POST', '/zstack/v1/accesskeys', { params: { accountUuid: carol.uuid } });
    expect(r.json.error).toEqual({
      code: 'ID.1002', description: "The user doesn't have permission to perform the operation",
      details: 'No permission to modify the AccessKey for current account',
    });
  });

  it("refuses a normal account another account's key: state change and delete", async () => {
    const change = await call(dave.client, 'PUT', `/zstack/v1/accesskeys/${carolsKey.uuid}/actions`, { changeAccessKeyState: { stateEvent: 'disable' } });
    expect(change.json.error).toMatchObject({ code: 'ID.1002', details: 'No permission to modify the AccessKey for current account' });
    const del = await call(dave.client, 'DELETE', `/zstack/v1/accesskeys/${carolsKey.uuid}`);
    expect(del.json.error.code).toBe('ID.1002');
    const still = await query(admin, `/zstack/v1/accesskeys/${carolsKey.uuid}`);
    expect(still.json.inventories[0].state).toBe('Enabled');
  });

  it('shows a normal account only its own keys, and the admin all of them', async () => {
    const own = await query(dave.client, '/zstack/v1/accesskeys');
    expect(own.json.inventories.map((i: { accountUuid: string }) => i.accountUuid)).toEqual([dave.uuid]);
    expect((await query(dave.client, `/zstack/v1/accesskeys/${carolsKey.uuid}`)).json.inventories).toEqual([]);
    const all = await query(admin, `/zstack/v1/accesskeys?q=accountUuid?=${carol.uuid},${dave.uuid}&sort=accountUuid`);
    expect(all.json.inventories).toHaveLength(2);
  });

  it('lets the admin manage any key', async () => {
    const off = await call(admin, 'PUT', `/zstack/v1/accesskeys/${carolsKey.uuid}/actions`, { changeAccessKeyState: { stateEvent: 'disable' } });
    expect(off.status).toBe(200);
    expect(off.json.inventory.state).toBe('Disabled');
    const on = await call(admin, 'PUT', `/zstack/v1/accesskeys/${carolsKey.uuid}/actions`, { changeAccessKeyState: { stateEvent: 'enable' } });
    expect(on.json.inventory.state).toBe('Enabled');
  });
});

describe('ChangeAccessKeyState and DeleteAccessKey', () => {
  it('changes the state, replying the inventory without the secret', async () => {
    const key = await createKey(admin, { accountUuid: ADMIN_ACCOUNT_UUID, description: 'to disable' });
    const r = await call(admin, 'PUT', `/zstack/v1/accesskeys/${key.uuid}/actions`, { changeAccessKeyState: { stateEvent: 'disable' } });
    expect(r.status).toBe(200);
    expect(Object.keys(r.json.inventory)).toEqual(INVENTORY_FIELDS.filter((f) => f !== 'AccessKeySecret'));
    expect(r.json.inventory).toMatchObject({ uuid: key.uuid, state: 'Disabled' });
    expect(r.text).not.toContain(key.secret);
    const again = await call(admin, 'PUT', `/zstack/v1/accesskeys/${key.uuid}/actions`, { changeAccessKeyState: { stateEvent: 'disable' } });
    expect(again.json.inventory.state).toBe('Disabled');
    expect((await call(admin, 'DELETE', `/zstack/v1/accesskeys/${key.uuid}`)).status).toBe(200);
  });

  it.each([
    ['an unknown key', () => `/zstack/v1/accesskeys/${'b'.repeat(32)}/actions`, { stateEvent: 'enable' }, 'SYS.1003',
      `invalid field[uuid], resource[uuid:${'b'.repeat(32)}, type:AccessKeyVO] not found`],
    ['an unknown state event', () => `/zstack/v1/accesskeys/${'b'.repeat(32)}/actions`, { stateEvent: 'on' }, 'SYS.1007',
      'valid value for field[stateEvent] of message[APIChangeAccessKeyStateMsg] are [enable, disable], but on found'],
  ])('refuses %s', async (_what, url, changeAccessKeyState, code, details) => {
    const r = await call(admin, 'PUT', url(), { changeAccessKeyState });
    expect(r.status).toBe(503);
    expect(r.json.error).toMatchObject({ code, details });
  });

  it('deletes a key; deleting it again, or a key that never was, succeeds; a malformed uuid is SYS.1003', async () => {
    const key = await createKey(admin, { accountUuid: ADMIN_ACCOUNT_UUID });
    const r = await call(admin, 'DELETE', `/zstack/v1/accesskeys/${key.uuid}`);
    expect(r.status).toBe(200);
    expect(r.json).toEqual({});
    expect((await query(admin, `/zstack/v1/accesskeys/${key.uuid}`)).json.inventories).toEqual([]);
    expect((await call(admin, 'DELETE', `/zstack/v1/accesskeys/${key.uuid}`)).status).toBe(200);
    expect((await call(admin, 'DELETE', `/zstack/v1/accesskeys/${newJobId()}`)).status).toBe(200);
    const bad = await call(admin, 'DELETE', '/zstack/v1/accesskeys/not-a-uuid');
    expect(bad.json.error).toMatchObject({ code: 'SYS.1003', details: 'invalid value[not-a-uuid] of field [uuid]' });
  });
});

describe('signed requests', () => {
  let erin: { uuid: string; client: ZStackClient };
  let erinsKey: Key;
  let adminKey: Key;

  beforeAll(async () => {
    erin = await createAccount('ak-erin');
    erinsKey = await createKey(erin.client, { accountUuid: erin.uuid });
    adminKey = await createKey(admin, { accountUuid: ADMIN_ACCOUNT_UUID });
  });

  it('serve a sync query as the key\'s account, signed over the path without the query string', async () => {
    const r = await signed(erinsKey, 'GET', '/zstack/v1/accounts?q=name~=ak-%25&sort=name');
    expect(r.status).toBe(200);
    expect(r.json.inventories.map((a: { name: string }) => a.name)).toEqual(['ak-erin']);
    const byUuid = await signed(adminKey, 'GET', `/zstack/v1/accounts/${erin.uuid}`);
    expect(byUuid.json.inventories.map((a: { name: string }) => a.name)).toEqual(['ak-erin']);
  });

  it('serve an async create, through the job poll', async () => {
    const { first, polled } = await signedJob(adminKey, 'POST', '/zstack/v1/accounts', { params: { name: 'ak-made-by-key', password: sha512('x') } });
    expect([200, 202]).toContain(first.status);
    expect(polled.status).toBe(200);
    expect(polled.json.inventory.name).toBe('ak-made-by-key');
    // A key creates a key for its own account; the secret is in the create's reply and its poll.
    const made = await signedJob(erinsKey, 'POST', '/zstack/v1/accesskeys', { params: { accountUuid: erin.uuid, description: 'by key' } });
    expect(made.polled.status).toBe(200);
    expect(made.polled.json.inventory.AccessKeySecret).toMatch(/^[A-Za-z0-9]{40}$/);
    secrets.add(made.polled.json.inventory.AccessKeySecret);
    otherReplies.splice(otherReplies.indexOf(made.first.text), 1);
    const seen = await signed(erinsKey, 'GET', '/zstack/v1/accesskeys');
    expect(seen.json.inventories).toHaveLength(2);
    expect((await signedJob(erinsKey, 'DELETE', `/zstack/v1/accesskeys/${made.polled.json.inventory.uuid}`)).polled.status).toBe(200);
  });

  it('accept the Date in the zones ZStack clients send (an offset, a region id as the Java SDK formats it)', async () => {
    const now = new Date();
    const at = (offsetMin: number) => new Date(now.getTime() + offsetMin * 60_000);
    const wall = (d: Date) => d.toUTCString().replace(' GMT', '');
    const plus8 = `${wall(at(480))} +0800`;
    expect((await signed(erinsKey, 'GET', '/zstack/v1/accounts', { date: plus8 })).status).toBe(200);
    const shanghai = `${wall(at(480))} Asia/Shanghai`;
    expect((await signed(erinsKey, 'GET', '/zstack/v1/accounts', { date: shanghai })).status).toBe(200);
    expect((await signed(erinsKey, 'GET', '/zstack/v1/accounts', { date: `${wall(now)} UTC` })).status).toBe(200);
  });

  it('refuse a wrong signature with ID.1001, for sync APIs at once and for async ones through the job', async () => {
    const wrong = { id: erinsKey.id, secret: 'not-the-secret-at-all' };
    const sync = await signed(wrong, 'GET', '/zstack/v1/accounts');
    expect(sync.status).toBe(503);
    expect(sync.json.error).toEqual({
      code: 'ID.1001', description: 'The session is invalid, either wrong session id or the session has been expired', details: 'wrong accessKey signature',
    });
    const async = await signedJob(wrong, 'POST', '/zstack/v1/accesskeys', { params: { accountUuid: erin.uuid } });
    expect(async.first.status).toBe(202);
    expect(async.polled.status).toBe(503);
    expect(async.polled.json.error).toMatchObject({ code: 'ID.1001', details: 'wrong accessKey signature' });
    const otherPath = await signed(erinsKey, 'GET', '/zstack/v1/accesskeys', { signAs: { url: '/zstack/v1/accounts' } });
    expect(otherPath.json.error.details).toBe('wrong accessKey signature');
    const otherMethod = await signed(erinsKey, 'GET', '/zstack/v1/accounts', { signAs: { method: 'PUT' } });
    expect(otherMethod.json.error.details).toBe('wrong accessKey signature');
  });

  it('refuse an unknown AccessKeyID as a wrong signature', async () => {
    const r = await signed({ id: 'NoSuchKeyId000000000', secret: 'whatever-secret-1234' }, 'GET', '/zstack/v1/accounts');
    expect(r.status).toBe(503);
    expect(r.json.error).toMatchObject({ code: 'ID.1001', details: 'wrong accessKey signature' });
  });

  it('answer a skewed, missing or malformed Date with a plain-text 403 requestTimeTooSkewed', async () => {
    for (const date of [new Date(Date.now() - 16 * 60_000).toUTCString(), new Date(Date.now() + 16 * 60_000).toUTCString(), null, 'yesterday',
      new Date().toISOString(), new Date().toUTCString().replace(/^\w{3}/, 'Xyz')]) {
      const r = await signed(erinsKey, 'GET', '/zstack/v1/accounts', { date });
      expect(r.status).toBe(403);
      expect(r.text).toBe('requestTimeTooSkewed');
      expect(r.headers.get('content-type')).toContain('text/plain');
    }
    const nearEdge = await signed(erinsKey, 'GET', '/zstack/v1/accounts', { date: new Date(Date.now() - 14 * 60_000).toUTCString() });
    expect(nearEdge.status).toBe(200);
  });

  it('answer a malformed ZStack header with a plain-text 400', async () => {
    const r = await new ZStackClient(stack.baseUrl).send('GET', '/zstack/v1/accounts', { headers: { Authorization: `ZStack ${erinsKey.id}`, Date: new Date().toUTCString() } });
    expect(r.status).toBe(400);
    expect(r.text).toBe("accessKey format is 'ZStack AccessKeyId:Signature'");
  });

  it('refuse a disabled key, and accept it again once enabled', async () => {
    const url = `/zstack/v1/accesskeys/${erinsKey.uuid}/actions`;
    expect((await call(erin.client, 'PUT', url, { changeAccessKeyState: { stateEvent: 'disable' } })).json.inventory.state).toBe('Disabled');
    const r = await signed(erinsKey, 'GET', '/zstack/v1/accounts');
    expect(r.status).toBe(503);
    expect(r.json.error).toMatchObject({ code: 'ID.1001', details: 'access key is disabled' });
    const wrong = await signed({ id: erinsKey.id, secret: 'guessing-the-secret' }, 'GET', '/zstack/v1/accounts');
    expect(wrong.json.error.details).toBe('wrong accessKey signature');
    await call(erin.client, 'PUT', url, { changeAccessKeyState: { stateEvent: 'enable' } });
    expect((await signed(erinsKey, 'GET', '/zstack/v1/accounts')).status).toBe(200);
  });

  it("refuse the key of a disabled account, and of a deleted one (its keys go with it)", async () => {
    const frank = await createAccount('ak-frank');
    const key = await createKey(frank.client, { accountUuid: frank.uuid });
    expect((await signed(key, 'GET', '/zstack/v1/accounts')).status).toBe(200);
    await call(admin, 'PUT', `/zstack/v1/accounts/${frank.uuid}`, { updateAccount: { state: 'Disabled' } });
    expect((await signed(key, 'GET', '/zstack/v1/accounts')).json.error).toMatchObject({ code: 'ID.1001', details: 'the account of the access key is disabled' });
    await call(admin, 'PUT', `/zstack/v1/accounts/${frank.uuid}`, { updateAccount: { state: 'Enabled' } });
    expect((await call(admin, 'DELETE', `/zstack/v1/accounts/${frank.uuid}`)).status).toBe(200);
    const r = await signed(key, 'GET', '/zstack/v1/accounts');
    expect(r.status).toBe(503);
    expect(r.json.error).toMatchObject({ code: 'ID.1001', details: 'wrong accessKey signature' });
    expect((await query(admin, `/zstack/v1/accesskeys/${key.uuid}`)).json.inventories).toEqual([]);
    expect((await query(admin, `/zstack/v1/accesskeys?q=accountUuid=${frank.uuid}&count=true`)).json.total).toBe(0);
  });

  it('work on the NATS bus too, with the same checks', async () => {
    const nc = await connectNats(stack.nats.url, 'signed-bus-client');
    try {
      const ask = async (date: string, secret = erinsKey.secret) => {
        const accessKey = { accessKeyId: erinsKey.id, signature: signature(secret, 'GET', date, '/zstack/v1/accounts'), date, method: 'GET', path: '/v1/accounts' };
        const msg = await nc.request('identity.query.QueryAccount', Buffer.from(JSON.stringify({
          commandId: newJobId(), auth: { accessKey }, payload: { query: { conditions: [], limit: 10, start: 0, count: false, replyWithCount: false } },
        })), { timeout: 5000 });
        return JSON.parse(Buffer.from(msg.data).toString('utf8'));
      };
      const ok = await ask(new Date().toUTCString());
      expect(ok.ok).toBe(true);
      expect(ok.result.inventories.map((a: { name: string }) => a.name)).toEqual(['ak-erin']);
      const stale = await ask(new Date(Date.now() - 3600_000).toUTCString());
      expect(stale).toMatchObject({ ok: false, error: { code: 'ID.1001', details: 'requestTimeTooSkewed' } });
      expect((await ask(new Date().toUTCString(), 'wrong-secret-value')).error.details).toBe('wrong accessKey signature');
    } finally {
      await nc.drain();
    }
  });

  it('still verify after identity-svc restarts (keys rebuilt from the log, secrets opened with the same master key)', async () => {
    await stack.stopIdentity();
    await stack.startIdentity();
    expect((await signed(erinsKey, 'GET', '/zstack/v1/accounts')).status).toBe(200);
    expect((await signed(adminKey, 'GET', '/zstack/v1/accesskeys')).status).toBe(200);
  });
});

describe('the log and the output', () => {
  it('hold access key secrets only sealed, and never a secret or the master key in any event, log line or other reply', async () => {
    const nc = await connectNats(stack.nats.url, 'secret-scan');
    try {
      const events = await new JetStreamEventStore(nc, { context: 'identity' }).readAll(null, { limit: 100_000 });
      const types = new Set(events.map((e) => e.type));
      for (const t of ['AccessKeyCreated', 'AccessKeyStateChanged', 'AccessKeyDeleted']) expect(types).toContain(t);
      const created = events.filter((e) => e.type === 'AccessKeyCreated');
      expect(created.length).toBeGreaterThanOrEqual(secrets.size);
      for (const e of created) {
        expect(Object.keys(e.data).sort()).toEqual(['accessKeyId', 'accountUuid', 'createDate', 'keyType', 'secret', 'state', 'userUuid', 'uuid', ...(e.data.description ? ['description'] : [])].sort());
        expect(e.data.secret).toEqual({ keyId: 'k1', ciphertext: expect.stringMatching(/^[A-Za-z0-9+/]+=*$/) });
      }
      const text = JSON.stringify(events.map(({ position, streamVersion, ...e }) => e));
      for (const refused of refusedSecrets) secrets.add(refused);
      expect(secrets.size).toBeGreaterThan(10);
      for (const secret of secrets) expect(text).not.toContain(secret);
      expect(text).not.toContain(MASTER_KEY);
      const logs = printed.join('');
      for (const secret of secrets) expect(logs).not.toContain(secret);
      expect(logs).not.toContain(MASTER_KEY);
      const replies = otherReplies.join('\n');
      for (const secret of secrets) expect(replies).not.toContain(secret);
      expect(replies).not.toContain(MASTER_KEY);
    } finally {
      await nc.drain();
    }
  });
});
