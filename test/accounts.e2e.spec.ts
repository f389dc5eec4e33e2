import { ADMIN_ACCOUNT_UUID } from '@cp/contracts';
import { ADMIN_PASSWORD, TestStack } from './support/stack';
import { newJobId, ZStackClient } from './support/zstack-client';
import { createHash } from 'node:crypto';
import { capturePrinted } from './support/printed';

/** ZStack clients send the SHA-512 hex of the clear password. */
const sha512 = (text: string) => {
  const hex = createHash('sha512').update(text).digest('hex');
  sentPasswords.add(hex);
  return hex;
};
const ZSTACK_DATE = /^[A-Z][a-z]{2} \d{1,2}, \d{4} \d{1,2}:\d{2}:\d{2} [AP]M$/;
const ACCOUNT_CLASS = 'org.zstack.header.identity.AccountInventory';

let stack: TestStack;
let admin: ZStackClient;
/** Everything the apps print during the run, for the secret scan at the end. */
const printed = capturePrinted();
const sentPasswords = new Set<string>([ADMIN_PASSWORD]);

beforeAll(async () => {
  stack = await TestStack.start();
  admin = new ZStackClient(stack.baseUrl);
  await admin.login();
});

afterAll(async () => {
  await stack?.stop();
});

async function createAccount(name: string, password = sha512(`${name}-pw`), extra: Record<string, unknown> = {}) {
  const r = await admin.job('POST', '/zstack/v1/accounts', { params: { name, password, ...extra } });
  expect(r.status).toBe(200);
  return r.json.inventory as { uuid: string; name: string };
}

async function loginAs(name: string, password = sha512(`${name}-pw`)) {
  const client = new ZStackClient(stack.baseUrl);
  await client.login(name, password);
  return client;
}

describe('LogInByAccount', () => {
  it('logs the built-in admin in with SHA-512("password") and returns a ZStack session inventory', async () => {
    const client = new ZStackClient(stack.baseUrl);
    const r = await client.send('PUT', '/zstack/v1/accounts/login', {
      body: { logInByAccount: { accountName: 'admin', password: ADMIN_PASSWORD } },
      headers: { 'X-JSON-Schema': 'true' },
    });
    expect(r.status).toBe(200);
    const s = r.json.inventory;
    expect(s.uuid).toMatch(/^[0-9a-f]{32}$/);
    expect(s.accountUuid).toBe(ADMIN_ACCOUNT_UUID);
    expect(s.userUuid).toBe(ADMIN_ACCOUNT_UUID);
    expect(s).not.toHaveProperty('userType');
    expect(s.noSessionEvaluation).toBe(false);
    expect(s.createDate).toMatch(ZSTACK_DATE);
    expect(s.expiredDate).toMatch(ZSTACK_DATE);
    expect(Object.keys(s)).toEqual(['uuid', 'accountUuid', 'userUuid', 'expiredDate', 'createDate', 'noSessionEvaluation']);
    expect(r.json.schema).toEqual({ inventory: 'org.zstack.header.identity.SessionInventory' });
  });

  it('answers 503 ID.1000 alike for a wrong password and an unknown name', async () => {
    const client = new ZStackClient(stack.baseUrl);
    for (const [name, password] of [['admin', sha512('wrong')], ['nobody-here', ADMIN_PASSWORD]]) {
      const r = await client.send('PUT', '/zstack/v1/accounts/login', { body: { logInByAccount: { accountName: name, password } } });
      expect(r.status).toBe(503);
      expect(r.json.error).toEqual({ code: 'ID.1000', description: 'Unable to authenticate a user', details: 'wrong account name or password' });
    }
  });

  it('serves the generic LogIn with loginType account', async () => {
    const client = new ZStackClient(stack.baseUrl);
    const r = await client.send('PUT', '/zstack/v1/login', { body: { logIn: { username: 'admin', password: ADMIN_PASSWORD, loginType: 'account' } } });
    expect(r.status).toBe(200);
    expect(r.json.inventory.accountUuid).toBe(ADMIN_ACCOUNT_UUID);
    const ldap = await client.send('PUT', '/zstack/v1/login', { body: { logIn: { username: 'admin', password: ADMIN_PASSWORD, loginType: 'ldap' } } });
    expect(ldap.status).toBe(503);
    expect(ldap.json.error.details).toBe('valid value for field[loginType] of message[APILogInMsg] are [account], but ldap found');
  });

  it('rejects a missing field with SYS.1007 naming it', async () => {
    const r = await new ZStackClient(stack.baseUrl).send('PUT', '/zstack/v1/accounts/login', { body: { logInByAccount: { accountName: 'admin' } } });
    expect(r.status).toBe(503);
    expect(r.json.error.code).toBe('SYS.1007');
    expect(r.json.error.details).toBe('field[password] of message[APILogInByAccountMsg] is mandatory, can not be null');
  });

  it('refuses a disabled account with ID.1007', async () => {
    const acc = await createAccount('to-disable');
    const r = await admin.job('PUT', `/zstack/v1/accounts/${acc.uuid}`, { updateAccount: { state: 'Disabled' } });
    expect(r.status).toBe(200);
    expect(r.json.inventory.state).toBe('Disabled');
    const login = await new ZStackClient(stack.baseUrl).send('PUT', '/zstack/v1/accounts/login', {
      body: { logInByAccount: { accountName: 'to-disable', password: sha512('to-disable-pw') } },
    });
    expect(login.status).toBe(503);
    expect(login.json.error.code).toBe('ID.1007');
  });
});

describe('CreateAccount', () => {
  it('answers 200 with the inventory on the fast path, records the job, and a repeated X-Job-UUID returns the first outcome', async () => {
    const jobId = newJobId();
    const first = await admin.send('POST', '/zstack/v1/accounts', {
      body: { params: { name: 'alice', password: sha512('alice-pw'), description: 'first user' }, systemTags: [], userTags: [] },
      headers: { 'X-Job-UUID': jobId },
    });
    expect(first.status).toBe(200);
    const inv = first.json.inventory;
    expect(Object.keys(inv)).toEqual(['uuid', 'name', 'description', 'type', 'state', 'createDate', 'lastOpDate']);
    expect(inv).toMatchObject({ name: 'alice', description: 'first user', type: 'Normal', state: 'Enabled' });
    expect(inv.createDate).toMatch(ZSTACK_DATE);
    expect(first.text).not.toContain('password');

    const polled = await admin.send('GET', `/zstack/v1/api-jobs/${jobId}`, { headers: { 'X-JSON-Schema': 'true' } });
    expect(polled.status).toBe(200);
    expect(polled.json.inventory).toEqual(inv);
    expect(polled.json.schema).toEqual({ inventory: ACCOUNT_CLASS });

    const again = await admin.send('POST', '/zstack/v1/accounts', {
      body: { params: { name: 'alice', password: sha512('alice-pw') } }, headers: { 'X-Job-UUID': jobId },
    });
    expect(again.status).toBe(200);
    expect(again.json.inventory.uuid).toBe(inv.uuid);
    const q = await admin.send('GET', '/zstack/v1/accounts?q=name=alice');
    expect(q.json.inventories).toHaveLength(1);
  });

  it('takes a resourceUuid and rejects a malformed one', async () => {
    const uuid = '5d6ac4e1b4a74a3c9f2e1c0d2b3a4f5e';
    const ok = await admin.job('POST', '/zstack/v1/accounts', { params: { name: 'with-uuid', password: 'x', resourceUuid: uuid } });
    expect(ok.json.inventory.uuid).toBe(uuid);
    const bad = await admin.job('POST', '/zstack/v1/accounts', { params: { name: 'bad-uuid', password: 'x', resourceUuid: 'not-a-uuid' } });
    expect(bad.status).toBe(503);
    expect(bad.json.error.code).toBe('SYS.1007');
    expect(bad.json.error.details).toContain('field[resourceUuid]');
  });

  it.each([
    ['a taken name', { name: 'dup-check', password: 'x' }, 'unable to create an account. An account already called dup-check', true],
    ['a name over 255 characters', { name: 'n'.repeat(256), password: 'x' }, 'field[name] of message[APICreateAccountMsg] exceeds max length of string. expected was <= 255, actual was 256', false],
    ['no name', { password: 'x' }, 'field[name] of message[APICreateAccountMsg] is mandatory, can not be null', false],
    ['an unknown type', { name: 'typo', password: 'x', type: 'Root' }, 'valid value for field[type] of message[APICreateAccountMsg] are [SystemAdmin, Normal], but Root found', false],
    ['a description over 2048 characters', { name: 'long-desc', password: 'x', description: 'd'.repeat(2049) }, 'field[description] of message[APICreateAccountMsg] exceeds max length of string. expected was <= 2048, actual was 2049', false],
  ])('reports %s through the job as SYS.1007', async (_what, params, details, createFirst) => {
    if (createFirst) await createAccount('dup-check');
    const first = await admin.send('POST', '/zstack/v1/accounts', { body: { params }, headers: { 'X-Job-UUID': newJobId() } });
    expect(first.status).toBe(202);
    expect(first.json.location).toMatch(/\/zstack\/v1\/api-jobs\/[0-9a-f]{32}$/);
    const r = await admin.poll(first.json.location);
    expect(r.status).toBe(503);
    expect(r.json.error).toEqual({ code: 'SYS.1007', description: 'One or more API argument is invalid', details });
  });

  it('is admin-only: a normal account gets ID.1002', async () => {
    await createAccount('bob');
    const bob = await loginAs('bob');
    const r = await bob.job('POST', '/zstack/v1/accounts', { params: { name: 'bobs-friend', password: 'x' } });
    expect(r.status).toBe(503);
    expect(r.json.error.code).toBe('ID.1002');
  });

  it('reports an invalid session as ID.1001 through the job', async () => {
    const stranger = new ZStackClient(stack.baseUrl, 'ffffffffffffffffffffffffffffffff');
    const r = await stranger.job('POST', '/zstack/v1/accounts', { params: { name: 'nope', password: 'x' } });
    expect(r.status).toBe(503);
    expect(r.json.error).toEqual({
      code: 'ID.1001', description: 'The session is invalid, either wrong session id or the session has been expired', details: 'Session expired',
    });
  });
});

describe('the REST layer', () => {
  it('answers a missing or foreign Authorization with a plain-text 400', async () => {
    const anon = new ZStackClient(stack.baseUrl);
    const missing = await anon.send('GET', '/zstack/v1/accounts');
    expect(missing.status).toBe(400);
    expect(missing.text).toBe("missing header 'Authorization'");
    const basic = await anon.send('GET', '/zstack/v1/accounts', { headers: { Authorization: 'Basic YWRtaW46cGFzc3dvcmQ=' } });
    expect(basic.status).toBe(400);
    expect(basic.text).toBe("Authorization type must be 'OAuth'");
  });

  it('answers malformed JSON, a wrong field type and a bad X-Job-UUID with a plain-text 400, and writes nothing', async () => {
    const before = (await admin.send('GET', '/zstack/v1/accounts?count=true')).json.total;
    const malformed = await admin.send('POST', '/zstack/v1/accounts', { rawBody: '{"params": {"name": "x",', headers: { 'Content-Type': 'application/json' } });
    expect(malformed.status).toBe(400);
    expect(malformed.text).toMatch(/^invalid JSON body: /);
    const wrongType = await admin.send('POST', '/zstack/v1/accounts', { body: { params: { name: { first: 'x' }, password: 'x' } } });
    expect(wrongType.status).toBe(400);
    expect(wrongType.text).toBe('Invalid value for field[name]: it must be a string, but an object was found');
    const renew = await admin.send('PUT', `/zstack/v1/accounts/sessions/${admin.session}/renew`, { body: { renewSession: { duration: 'long' } } });
    expect(renew.status).toBe(400);
    expect(renew.text).toContain('field[duration]');
    const badJob = await admin.send('POST', '/zstack/v1/accounts', { body: { params: { name: 'j', password: 'x' } }, headers: { 'X-Job-UUID': 'short' } });
    expect(badJob.status).toBe(400);
    expect(badJob.text).toBe("Invalid header[X-Job-UUID], it must be a UUID with '-' stripped");
    expect((await admin.send('GET', '/zstack/v1/accounts?count=true')).json.total).toBe(before);
  });

  it('answers a body over the limit with 413', async () => {
    const r = await admin.send('POST', '/zstack/v1/accounts', { body: { params: { name: 'big', password: 'x', description: 'd'.repeat(1_100_000) } } });
    expect(r.status).toBe(413);
    expect(r.headers.get('content-type')).toContain('text/plain');
  });

  it('answers an unknown path with 404 "no api mapping" and a known path with another method with 405', async () => {
    const unknown = await admin.send('GET', '/zstack/v1/no-such-thing');
    expect(unknown.status).toBe(404);
    expect(unknown.text).toBe('no api mapping to /zstack/v1/no-such-thing');
    const wrongMethod = await admin.send('POST', `/zstack/v1/accounts/${ADMIN_ACCOUNT_UUID}`, { body: {} });
    expect(wrongMethod.status).toBe(405);
    const pollPost = await admin.send('POST', `/zstack/v1/api-jobs/${newJobId()}`);
    expect(pollPost.status).toBe(405);
  });

  it('answers the poll of an unknown job with 404 "the job has been expired"', async () => {
    const r = await admin.send('GET', `/zstack/v1/api-jobs/${newJobId()}`);
    expect(r.status).toBe(404);
    expect(r.text).toBe('the job has been expired');
  });

  it('serves GET /health', async () => {
    const r = await admin.send('GET', '/health');
    expect(r.status).toBe(200);
    expect(r.json.status).toBe('ok');
    expect(r.json.services.identity.status).toBe('ok');
    // Each read model against the log head (what the console's overview shows as read-model lag): caught up once idle.
    expect(r.json.services.identity.readModels.map((m: { model: string }) => m.model))
      .toEqual(['identity.accounts', 'identity.iam2-virtual-ids', 'identity.access-keys']);
    let lag = r.json.services.identity.readModels;
    for (let tries = 0; lag.some((m: { caughtUp: boolean }) => !m.caughtUp) && tries < 50; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      lag = (await admin.send('GET', '/health')).json.services.identity.readModels;
    }
    expect(lag).toContainEqual({ model: 'identity.accounts', caughtUp: true, lagPositions: 0 });
  });
});

describe('QueryAccount', () => {
  beforeAll(async () => {
    for (const name of ['q-ann', 'q-ben', 'q-cat']) await createAccount(name, sha512(name), { description: `about ${name}` });
  });

  it('filters with q, always returns schema, and counts only when asked', async () => {
    const r = await admin.send('GET', '/zstack/v1/accounts?q=name=q-ben');
    expect(r.status).toBe(200);
    expect(r.json.inventories.map((a: { name: string }) => a.name)).toEqual(['q-ben']);
    expect(r.json.schema).toEqual({ 'inventories[0]': ACCOUNT_CLASS });
    expect(r.json).not.toHaveProperty('total');
    const like = await admin.send('GET', '/zstack/v1/accounts?q=name~=q-%25&sort=-name&replyWithCount=true&limit=2');
    expect(like.json.inventories.map((a: { name: string }) => a.name)).toEqual(['q-cat', 'q-ben']);
    expect(like.json.total).toBe(3);
    const count = await admin.send('GET', '/zstack/v1/accounts?q=name?=q-ann,q-cat&count=true');
    expect(count.json).toEqual({ total: 2, schema: {} });
    const fields = await admin.send('GET', '/zstack/v1/accounts?q=name=q-ann&fields=name,uuid');
    expect(Object.keys(fields.json.inventories[0])).toEqual(['uuid', 'name']);
    const paged = await admin.send('GET', '/zstack/v1/accounts?q=name~=q-%25&sort=name&start=1&limit=1');
    expect(paged.json.inventories.map((a: { name: string }) => a.name)).toEqual(['q-ben']);
  });

  it('serves the /{uuid} form as a list, empty for a missing uuid', async () => {
    const r = await admin.send('GET', `/zstack/v1/accounts/${ADMIN_ACCOUNT_UUID}?q=name=ignored`);
    expect(r.json.inventories).toHaveLength(1);
    expect(r.json.inventories[0].name).toBe('admin');
    const none = await admin.send('GET', `/zstack/v1/accounts/${newJobId()}`);
    expect(none.status).toBe(200);
    expect(none.json).toEqual({ inventories: [], schema: {} });
  });

  it('answers bad query parameters with a plain-text 400 and an unknown field with SYS.1007', async () => {
    const limit = await admin.send('GET', '/zstack/v1/accounts?limit=ten');
    expect(limit.status).toBe(400);
    expect(limit.text).toBe("Invalid query parameter. 'limit' must be an integer");
    const noOp = await admin.send('GET', '/zstack/v1/accounts?q=name');
    expect(noOp.status).toBe(400);
    expect(noOp.text).toContain("doesn't contain any query operator");
    const unknown = await admin.send('GET', '/zstack/v1/accounts?q=colour=red');
    expect(unknown.status).toBe(503);
    expect(unknown.json.error.code).toBe('SYS.1007');
    expect(unknown.json.error.details).toContain('colour');
  });

  it('shows a normal account only itself', async () => {
    const ann = await loginAs('q-ann', sha512('q-ann'));
    const r = await ann.send('GET', '/zstack/v1/accounts');
    expect(r.json.inventories.map((a: { name: string }) => a.name)).toEqual(['q-ann']);
    const adminRow = await ann.send('GET', `/zstack/v1/accounts/${ADMIN_ACCOUNT_UUID}`);
    expect(adminRow.json.inventories).toEqual([]);
  });

  it('sees a create at once, for many sessions at the same time (read-your-writes)', async () => {
    const clients = await Promise.all(Array.from({ length: 8 }, () => new ZStackClient(stack.baseUrl).login().then((s) => new ZStackClient(stack.baseUrl, s))));
    await Promise.all(clients.flatMap((client, c) => Array.from({ length: 5 }, async (_, i) => {
      const name = `ryw-${c}-${i}`;
      const created = await client.job('POST', '/zstack/v1/accounts', { params: { name, password: 'x' } });
      expect(created.status).toBe(200);
      const seen = await client.send('GET', `/zstack/v1/accounts?q=name=${name}`);
      expect(seen.json.inventories).toHaveLength(1);
    })));
  });
});

describe('UpdateAccount', () => {
  it('changes name and description and moves lastOpDate', async () => {
    const acc = await createAccount('carol');
    const r = await admin.job('PUT', `/zstack/v1/accounts/${acc.uuid}`, { updateAccount: { name: 'caroline', description: 'renamed' } });
    expect(r.status).toBe(200);
    expect(r.json.inventory).toMatchObject({ uuid: acc.uuid, name: 'caroline', description: 'renamed' });
    const q = await admin.send('GET', '/zstack/v1/accounts?q=name=caroline');
    expect(q.json.inventories).toHaveLength(1);
  });

  it.each([
    ['a missing account', () => `/zstack/v1/accounts/${'a'.repeat(32)}`, { name: 'x' }, 'SYS.1003'],
    ['a taken name', async () => `/zstack/v1/accounts/${(await createAccount('dave')).uuid}`, { name: 'admin' }, 'SYS.1007'],
    ['renaming the admin', () => `/zstack/v1/accounts/${ADMIN_ACCOUNT_UUID}`, { name: 'root' }, 'SYS.1006'],
    ['a wrong old password', () => `/zstack/v1/accounts/${ADMIN_ACCOUNT_UUID}`, { password: sha512('new'), oldPassword: sha512('not-it') }, 'SYS.1006'],
  ])('refuses %s', async (_what, path, updateAccount, code) => {
    const r = await admin.job('PUT', await path(), { updateAccount });
    expect(r.status).toBe(503);
    expect(r.json.error.code).toBe(code);
  });

  it('lets a normal account change only itself, and a password change ends its sessions', async () => {
    const erin = await createAccount('erin');
    const other = await createAccount('frank');
    const client = await loginAs('erin');
    const denied = await client.job('PUT', `/zstack/v1/accounts/${other.uuid}`, { updateAccount: { password: sha512('hijack') } });
    expect(denied.status).toBe(503);
    expect(denied.json.error.code).toBe('SYS.1006');
    expect(denied.json.error.details).toContain('cannot reset the password of another account');
    const changed = await client.job('PUT', `/zstack/v1/accounts/${erin.uuid}`, {
      updateAccount: { password: sha512('erin-new'), oldPassword: sha512('erin-pw') },
    });
    expect(changed.status).toBe(200);
    const stale = await client.send('GET', '/zstack/v1/accounts');
    expect(stale.status).toBe(503);
    expect(stale.json.error.code).toBe('ID.1001');
    await loginAs('erin', sha512('erin-new'));
  });
});

describe('DeleteAccount', () => {
  it('deletes an account, ends its sessions, and a second delete still succeeds', async () => {
    const gina = await createAccount('gina');
    const client = await loginAs('gina');
    const r = await admin.job('DELETE', `/zstack/v1/accounts/${gina.uuid}?deleteMode=Permissive`);
    expect(r.status).toBe(200);
    expect(r.json).toEqual({});
    expect((await admin.send('GET', `/zstack/v1/accounts/${gina.uuid}`)).json.inventories).toEqual([]);
    expect((await client.send('GET', '/zstack/v1/accounts')).json.error.code).toBe('ID.1001');
    const again = await admin.job('DELETE', `/zstack/v1/accounts/${gina.uuid}`);
    expect(again.status).toBe(200);
  });

  it.each([
    ['the admin itself', () => ADMIN_ACCOUNT_UUID, 'SYS.1007', 'account cannot delete itself'],
    ['a malformed uuid', () => 'not-a-uuid', 'SYS.1003', 'invalid value[not-a-uuid] of field [uuid]'],
  ])('refuses %s', async (_what, uuid, code, details) => {
    const r = await admin.job('DELETE', `/zstack/v1/accounts/${uuid()}`);
    expect(r.status).toBe(503);
    expect(r.json.error).toMatchObject({ code, details });
  });

  it('is refused to normal accounts', async () => {
    const target = await createAccount('harry');
    await createAccount('ivy');
    const ivy = await loginAs('ivy');
    const r = await ivy.job('DELETE', `/zstack/v1/accounts/${target.uuid}`);
    expect(r.json.error).toMatchObject({ code: 'SYS.1007', details: 'Only admin can delete account.' });
  });
});

describe('sessions', () => {
  it('LogOut ends a session, ValidateSession tells, and an unknown session logs out fine', async () => {
    const client = new ZStackClient(stack.baseUrl);
    const session = await client.login();
    expect((await client.send('GET', `/zstack/v1/accounts/sessions/${session}/valid`)).json).toEqual({ valid: true });
    const out = await client.send('DELETE', `/zstack/v1/accounts/sessions/${session}`);
    expect(out.status).toBe(200);
    expect(out.json).toEqual({});
    expect((await client.send('GET', `/zstack/v1/accounts/sessions/${session}/valid`)).json).toEqual({ valid: false });
    expect((await client.send('GET', '/zstack/v1/accounts')).json.error.code).toBe('ID.1001');
    expect((await client.send('DELETE', `/zstack/v1/accounts/sessions/${newJobId()}`)).status).toBe(200);
  });

  it('RenewSession extends a session and validates the duration', async () => {
    const client = new ZStackClient(stack.baseUrl);
    const session = await client.login();
    const r = await client.job('PUT', `/zstack/v1/accounts/sessions/${session}/renew`, { renewSession: { duration: 86_400 } });
    expect(r.status).toBe(200);
    expect(r.json.inventory.uuid).toBe(session);
    const year = new Date().getUTCFullYear();
    expect(r.json.inventory.expiredDate).toMatch(new RegExp(`${year}|${year + 1}`));
    const bad = await client.job('PUT', `/zstack/v1/accounts/sessions/${session}/renew`, { renewSession: { duration: 10 } });
    expect(bad.status).toBe(503);
    expect(bad.json.error.details).toBe('field[duration] of message[APIRenewSessionMsg] must be in range of [60, 31536000], but 10 found');
  });
});

describe('the log', () => {
  it('holds every change as an event, with slow hashes and never a password a client sent', async () => {
    const { JetStreamEventStore } = await import('@cp/event-store');
    const { connectNats } = await import('@cp/bus');
    const nc = await connectNats(stack.nats.url, 'secret-scan');
    try {
      const store = new JetStreamEventStore(nc, { context: 'identity' });
      const events = await store.readAll(null, { limit: 100_000 });
      const types = new Set(events.map((e) => e.type));
      expect([...types].sort()).toEqual(['AccountCreated', 'AccountDeleted', 'AccountPasswordChanged', 'AccountUpdated', 'LoginFailed', 'LoginSucceeded']);
      const text = JSON.stringify(events.map(({ position, streamVersion, ...e }) => e));
      for (const password of sentPasswords) expect(text).not.toContain(password);
      for (const e of events.filter((ev) => 'passwordHash' in ev.data)) expect(String(e.data.passwordHash)).toMatch(/^\$scrypt\$ln=\d+,r=\d+,p=\d+\$/);
      expect(events.every((e) => e.metadata.commandId && e.metadata.occurredAt)).toBe(true);
      const logs = printed.join('');
      for (const password of sentPasswords) expect(logs).not.toContain(password);
      expect(logs).not.toContain('$scrypt$');
    } finally {
      await nc.drain();
    }
  });

  it('rebuilds the same inventories after identity-svc restarts', async () => {
    const before = await admin.send('GET', '/zstack/v1/accounts?sort=name');
    await stack.stopIdentity();
    const down = await admin.send('GET', '/zstack/v1/accounts');
    expect(down.status).toBe(503);
    expect(down.json.error.code).toBe('SYS.1001');
    const create = await admin.send('POST', '/zstack/v1/accounts', { body: { params: { name: 'while-down', password: 'x' } } });
    expect(create.status).toBe(202);
    expect((await admin.poll(create.json.location)).json.error.code).toBe('SYS.1001');
    await stack.startIdentity();
    const after = await admin.send('GET', '/zstack/v1/accounts?sort=name');
    expect(after.json).toEqual(before.json);
  });
});
