import { createHash, randomUUID } from 'node:crypto';
import { ADMIN_ACCOUNT_UUID } from '@cp/contracts';
import { SESSIONS_BUCKET } from '../apps/identity-svc/src/sessions/session.store';
import { ADMIN_PASSWORD, TestStack } from './support/stack';
import { newJobId, ZStackClient, type HttpResult } from './support/zstack-client';
import { capturePrinted } from './support/printed';

/** IAM2 virtual IDs over real HTTP and NATS: every API, its errors and permissions, sessions, the log. */

const sentPasswords = new Set<string>([ADMIN_PASSWORD]);
/** ZStack clients send the SHA-512 hex of the clear password; every one sent is scanned for at the end. */
const sha512 = (text: string) => {
  const hex = createHash('sha512').update(text).digest('hex');
  sentPasswords.add(hex);
  return hex;
};
const ZSTACK_DATE = /^[A-Z][a-z]{2} \d{1,2}, \d{4} \d{1,2}:\d{2}:\d{2} [AP]M$/;
const VID_CLASS = 'org.zstack.iam2.entity.IAM2VirtualIDInventory';
const ATTR_CLASS = 'org.zstack.iam2.entity.IAM2VirtualIDAttributeInventory';
const SESSION_CLASS = 'org.zstack.header.identity.SessionInventory';
const BASE = '/zstack/v1/iam2/virtual-ids';
const IAM2_EVENT_TYPES = [
  'IAM2VirtualIDAttributeUpdated', 'IAM2VirtualIDAttributesAdded', 'IAM2VirtualIDAttributesRemoved', 'IAM2VirtualIDCreated',
  'IAM2VirtualIDDeleted', 'IAM2VirtualIDPasswordChanged', 'IAM2VirtualIDStateChanged', 'IAM2VirtualIDUpdated',
];

interface Attribute { uuid: string; name: string; value?: string; type: string; createDate: string; lastOpDate: string; virtualIDUuid: string }
interface VirtualId { uuid: string; name: string; description?: string; type: string; state: string; createDate: string; lastOpDate: string; attributes: Attribute[] }

let stack: TestStack;
let admin: ZStackClient;
/** Everything the apps print during the run, for the secret scan at the end. */
const printed = capturePrinted();

beforeAll(async () => {
  stack = await TestStack.start();
  admin = new ZStackClient(stack.baseUrl);
  await admin.login();
});

afterAll(async () => {
  await stack?.stop();
});

async function createVirtualId(name: string, extra: Record<string, unknown> = {}, password = sha512(`${name}-pw`)): Promise<VirtualId> {
  const r = await admin.job('POST', BASE, { params: { name, password, ...extra } });
  expect(r.status).toBe(200);
  return r.json.inventory as VirtualId;
}

function loginRequest(name: string, password: string, headers: Record<string, string> = {}): Promise<HttpResult> {
  return new ZStackClient(stack.baseUrl).send('PUT', `${BASE}/login`, { body: { loginIAM2VirtualID: { name, password } }, headers });
}

async function loginAsVirtualId(name: string, password = sha512(`${name}-pw`)): Promise<ZStackClient> {
  const r = await loginRequest(name, password);
  if (r.status !== 200) throw new Error(`login of virtual ID ${name} failed: ${r.status} ${r.text}`);
  return new ZStackClient(stack.baseUrl, r.json.inventory.uuid as string);
}

async function createAccountAndLogin(name: string): Promise<ZStackClient> {
  const password = sha512(`${name}-pw`);
  const r = await admin.job('POST', '/zstack/v1/accounts', { params: { name, password } });
  expect(r.status).toBe(200);
  const client = new ZStackClient(stack.baseUrl);
  await client.login(name, password);
  return client;
}

const act = (client: ZStackClient, uuid: string, body: Record<string, unknown>) => client.job('PUT', `${BASE}/${uuid}/actions`, body);
const names = (r: HttpResult) => (r.json.inventories as Array<{ name: string }>).map((v) => v.name);
const refusedWith = (r: HttpResult, code: string, details?: string) => {
  expect(r.status).toBe(503);
  expect(r.json.error.code).toBe(code);
  if (details !== undefined) expect(r.json.error.details).toBe(details);
};
const adminOnly = (msg: string) => `request api[name: org.zstack.iam2.api.${msg}] is admin only, can not be executed by current user`;
const notFoundText = (uuid: string) => `invalid field[uuid], resource[uuid:${uuid}, type:IAM2VirtualIDVO] not found`;

describe('CreateIAM2VirtualID', () => {
  it('creates a virtual ID with Customized attributes, with the nested schema, and a repeated X-Job-UUID returns the first outcome', async () => {
    const jobId = newJobId();
    const body = {
      params: {
        name: 'id1', password: sha512('id1-pw'), description: 'first',
        attributes: [{ name: 'attribute-name', value: 'attribute-value' }, { name: 'team', value: 'blue' }],
        withoutDefaultRole: 'true', tagUuids: [],
      },
      systemTags: [],
    };
    const first = await admin.send('POST', BASE, { body, headers: { 'X-Job-UUID': jobId, 'X-JSON-Schema': 'true' } });
    expect(first.status).toBe(200);
    const inv = first.json.inventory as VirtualId;
    expect(Object.keys(inv)).toEqual(['uuid', 'name', 'description', 'type', 'state', 'createDate', 'lastOpDate', 'attributes']);
    expect(inv).toMatchObject({ name: 'id1', description: 'first', type: 'ZStack', state: 'Enabled' });
    expect(inv.createDate).toMatch(ZSTACK_DATE);
    expect(inv.attributes).toHaveLength(2);
    const [attr] = inv.attributes;
    expect(Object.keys(attr)).toEqual(['uuid', 'name', 'value', 'type', 'createDate', 'lastOpDate', 'virtualIDUuid']);
    expect(attr).toMatchObject({ name: 'attribute-name', value: 'attribute-value', type: 'Customized', virtualIDUuid: inv.uuid });
    expect(attr.uuid).toMatch(/^[0-9a-f]{32}$/);
    expect(attr.createDate).toMatch(ZSTACK_DATE);
    expect(first.json.schema).toEqual({ inventory: VID_CLASS, 'inventory.attributes[0]': ATTR_CLASS, 'inventory.attributes[1]': ATTR_CLASS });
    expect(first.text).not.toContain('password');

    const polled = await admin.send('GET', `/zstack/v1/api-jobs/${jobId}`, { headers: { 'X-JSON-Schema': 'true' } });
    expect(polled.json).toEqual(first.json);
    const again = await admin.send('POST', BASE, { body, headers: { 'X-Job-UUID': jobId } });
    expect(again.status).toBe(200);
    expect(again.json.inventory).toEqual(inv);
    expect((await admin.send('GET', `${BASE}?q=name=id1`)).json.inventories).toHaveLength(1);
  });

  it('takes a resourceUuid and rejects a malformed one', async () => {
    const uuid = '5d6ac4e1b4a74a3c9f2e1c0d2b3a4f5e';
    expect((await createVirtualId('with-uuid', { resourceUuid: uuid })).uuid).toBe(uuid);
    const bad = await admin.job('POST', BASE, { params: { name: 'bad-uuid', password: sha512('p'), resourceUuid: 'not-a-uuid' } });
    refusedWith(bad, 'SYS.1007');
    expect(bad.json.error.details).toContain('field[resourceUuid] of message[APICreateIAM2VirtualIDMsg]');
  });

  it.each([
    ['no name', { password: 'p' }, 'field[name] of message[APICreateIAM2VirtualIDMsg] is mandatory, can not be null'],
    ['a name over 255 characters', { name: 'n'.repeat(256), password: 'p' },
      'field[name] of message[APICreateIAM2VirtualIDMsg] exceeds max length of string. expected was <= 255, actual was 256'],
    ['no password', { name: 'no-pw' }, 'field[password] of message[APICreateIAM2VirtualIDMsg] is mandatory, can not be null'],
    ['a password over 2048 characters', { name: 'long-pw', password: 'p'.repeat(2049) },
      'field[password] of message[APICreateIAM2VirtualIDMsg] exceeds max length of string. expected was <= 2048, actual was 2049'],
    ['a description over 2048 characters', { name: 'long-desc', password: 'p', description: 'd'.repeat(2049) },
      'field[description] of message[APICreateIAM2VirtualIDMsg] exceeds max length of string. expected was <= 2048, actual was 2049'],
    ['an attribute without a name', { name: 'attr-no-name', password: 'p', attributes: [{ value: 'v' }] },
      'field[attributes[0].name] of message[APICreateIAM2VirtualIDMsg] is mandatory, can not be null'],
  ])('reports %s through the job as SYS.1007', async (_what, params, details) => {
    const first = await admin.send('POST', BASE, { body: { params }, headers: { 'X-Job-UUID': newJobId() } });
    expect(first.status).toBe(202);
    const r = await admin.poll(first.json.location);
    expect(r.json.error).toEqual({ code: 'SYS.1007', description: 'One or more API argument is invalid', details });
  });

  it('keeps names unique', async () => {
    await createVirtualId('dup-vid');
    const r = await admin.job('POST', BASE, { params: { name: 'dup-vid', password: sha512('other') } });
    refusedWith(r, 'SYS.1007', 'unable to create a virtual ID. A virtual ID already called dup-vid');
  });

  it('refuses a project or organization, none of which exist yet (SYS.1003)', async () => {
    const project = await admin.job('POST', BASE, { params: { name: 'in-project', password: sha512('p'), projectUuid: 'a'.repeat(32) } });
    refusedWith(project, 'SYS.1003', `invalid field[projectUuid], resource[uuid:${'a'.repeat(32)}, type:IAM2ProjectVO] not found`);
    const org = await admin.job('POST', BASE, { params: { name: 'in-org', password: sha512('p'), organizationUuid: 'b'.repeat(32) } });
    refusedWith(org, 'SYS.1003', `invalid field[organizationUuid], resource[uuid:${'b'.repeat(32)}, type:IAM2OrganizationVO] not found`);
  });

  it('answers a field of the wrong JSON type with a plain-text 400 at once', async () => {
    const list = await admin.send('POST', BASE, { body: { params: { name: 'typed', password: 'p', attributes: 'team=blue' } } });
    expect(list.status).toBe(400);
    expect(list.text).toBe('Invalid value for field[attributes]: it must be a list, but a string was found');
    const flag = await admin.send('POST', BASE, { body: { params: { name: 'typed', password: 'p', withoutDefaultRole: 'maybe' } } });
    expect(flag.status).toBe(400);
    expect(flag.text).toBe('Invalid value for field[withoutDefaultRole]: it must be a boolean (true or false), but a string was found');
  });

  it('is admin-only: a normal account and a virtual ID get ID.1002, no session ID.1001', async () => {
    const normal = await createAccountAndLogin('vid-creator');
    refusedWith(await normal.job('POST', BASE, { params: { name: 'by-normal', password: sha512('p') } }), 'ID.1002', adminOnly('APICreateIAM2VirtualIDMsg'));
    await createVirtualId('creator-vid');
    const vid = await loginAsVirtualId('creator-vid');
    refusedWith(await vid.job('POST', BASE, { params: { name: 'by-vid', password: sha512('p') } }), 'ID.1002', adminOnly('APICreateIAM2VirtualIDMsg'));
    const stranger = new ZStackClient(stack.baseUrl, 'f'.repeat(32));
    refusedWith(await stranger.job('POST', BASE, { params: { name: 'by-nobody', password: sha512('p') } }), 'ID.1001', 'Session expired');
  });
});

describe('routes', () => {
  it('serves the static paths beside /{uuid} and picks the action of the shared PUT path by its body key', async () => {
    const vid = await createVirtualId('routed', { attributes: [{ name: 'r', value: '1' }] });
    const attrs = await admin.send('GET', `${BASE}/attributes?q=virtualIDUuid=${vid.uuid}`);
    expect(attrs.status).toBe(200);
    expect(attrs.json.schema).toEqual({ 'inventories[0]': ATTR_CLASS });
    const login = await loginRequest('routed', sha512('routed-pw'));
    expect(login.status).toBe(200);
    expect(login.json.inventory.userUuid).toBe(vid.uuid);
    expect((await admin.send('GET', `${BASE}/login`)).status).toBe(405);
    expect((await admin.send('POST', `${BASE}/${vid.uuid}`, { body: {} })).status).toBe(405);
    expect((await admin.send('GET', `${BASE}/${vid.uuid}`)).json.inventories[0].uuid).toBe(vid.uuid);
    const noAction = await admin.send('PUT', `${BASE}/${vid.uuid}/actions`, { body: { renameIAM2VirtualID: {} } });
    expect(noAction.status).toBe(400);
    expect(noAction.text).toBe(`the body doesn't contain action mapping to the URL[${BASE}/${vid.uuid}/actions]`);
  });
});

describe('QueryIAM2VirtualID', () => {
  const created: Record<string, VirtualId> = {};

  beforeAll(async () => {
    created.one = await createVirtualId('q-one', { attributes: [{ name: 'a', value: '1' }, { name: 'b', value: '2' }] });
    created.two = await createVirtualId('q-two');
    created.three = await createVirtualId('q-three', { attributes: [{ name: 'c' }] });
  });

  it('filters with q, sorts, counts, and carries a schema entry for every nested attribute', async () => {
    const r = await admin.send('GET', `${BASE}?q=name~=q-%25&sort=name`);
    expect(r.status).toBe(200);
    expect(names(r)).toEqual(['q-one', 'q-three', 'q-two']);
    expect(r.json.schema).toEqual({
      'inventories[0]': VID_CLASS, 'inventories[0].attributes[0]': ATTR_CLASS, 'inventories[0].attributes[1]': ATTR_CLASS,
      'inventories[1]': VID_CLASS, 'inventories[1].attributes[0]': ATTR_CLASS,
      'inventories[2]': VID_CLASS,
    });
    expect(r.json.inventories[0].attributes[1].lastOpDate).toMatch(ZSTACK_DATE);
    expect(r.json.inventories[1].attributes[0]).not.toHaveProperty('value');
    expect(r.json.inventories[2].attributes).toEqual([]);
    expect((await admin.send('GET', `${BASE}?q=name~=q-%25&count=true`)).json).toEqual({ total: 3, schema: {} });
    const paged = await admin.send('GET', `${BASE}?q=name~=q-%25&sort=-name&limit=1&replyWithCount=true`);
    expect(names(paged)).toEqual(['q-two']);
    expect(paged.json.total).toBe(3);
    const fields = await admin.send('GET', `${BASE}?q=name=q-one&fields=name,uuid`);
    expect(fields.json.inventories).toEqual([{ uuid: created.one.uuid, name: 'q-one' }]);
  });

  it('serves the /{uuid} form as a list, empty for a missing uuid, and names an unknown field', async () => {
    expect(names(await admin.send('GET', `${BASE}/${created.two.uuid}`))).toEqual(['q-two']);
    expect((await admin.send('GET', `${BASE}/${newJobId()}`)).json).toEqual({ inventories: [], schema: {} });
    const unknown = await admin.send('GET', `${BASE}?q=colour=red`);
    refusedWith(unknown, 'SYS.1007');
    expect(unknown.json.error.details).toContain('colour');
  });

  it('QueryIAM2VirtualIDAttribute queries the attributes of every virtual ID', async () => {
    const r = await admin.send('GET', `${BASE}/attributes?q=virtualIDUuid=${created.one.uuid}&sort=name`);
    expect(r.json.inventories.map((a: Attribute) => [a.name, a.value])).toEqual([['a', '1'], ['b', '2']]);
    expect(r.json.schema).toEqual({ 'inventories[0]': ATTR_CLASS, 'inventories[1]': ATTR_CLASS });
    const byUuid = await admin.send('GET', `${BASE}/attributes?q=uuid=${created.three.attributes[0].uuid}`);
    expect(byUuid.json.inventories).toEqual([expect.objectContaining({ name: 'c', type: 'Customized', virtualIDUuid: created.three.uuid })]);
    expect((await admin.send('GET', `${BASE}/attributes?q=type=System&count=true`)).json.total).toBe(0);
  });

  it('shows a normal account none (it owns none) and lets it write nothing', async () => {
    const normal = await createAccountAndLogin('vid-reader');
    expect((await normal.send('GET', BASE)).json.inventories).toEqual([]);
    expect((await normal.send('GET', `${BASE}/${created.one.uuid}`)).json.inventories).toEqual([]);
    expect((await normal.send('GET', `${BASE}/attributes`)).json.inventories).toEqual([]);
    refusedWith(await act(normal, created.one.uuid, { updateIAM2VirtualID: { description: 'mine' } }), 'ID.1002', adminOnly('APIUpdateIAM2VirtualIDMsg'));
    refusedWith(await normal.job('DELETE', `${BASE}/${created.one.uuid}`), 'ID.1002', adminOnly('APIDeleteIAM2VirtualIDMsg'));
  });
});

describe('LoginIAM2VirtualID and the session of a virtual ID', () => {
  let me: VirtualId;
  let other: VirtualId;

  beforeAll(async () => {
    me = await createVirtualId('session-vid', { attributes: [{ name: 'mine', value: 'yes' }] });
    other = await createVirtualId('session-other', { attributes: [{ name: 'theirs', value: 'no' }] });
  });

  it('answers a session acting within the owning account as the virtual ID', async () => {
    const r = await loginRequest('session-vid', sha512('session-vid-pw'), { 'X-JSON-Schema': 'true' });
    expect(r.status).toBe(200);
    const s = r.json.inventory;
    expect(s.uuid).toMatch(/^[0-9a-f]{32}$/);
    expect(s).toMatchObject({ accountUuid: ADMIN_ACCOUNT_UUID, userUuid: me.uuid, userType: 'IAM2VirtualID', noSessionEvaluation: false });
    expect(s.createDate).toMatch(ZSTACK_DATE);
    expect(s.expiredDate).toMatch(ZSTACK_DATE);
    expect(r.json.schema).toEqual({ inventory: SESSION_CLASS });
    const client = new ZStackClient(stack.baseUrl, s.uuid);
    expect((await client.send('GET', `/zstack/v1/accounts/sessions/${s.uuid}/valid`)).json).toEqual({ valid: true });
    expect((await client.send('DELETE', `/zstack/v1/accounts/sessions/${s.uuid}`)).status).toBe(200);
    refusedWith(await client.send('GET', BASE), 'ID.1001');
  });

  it('answers a wrong password and an unknown name alike (ID.1000), and a missing field with SYS.1007', async () => {
    for (const [name, password] of [['session-vid', sha512('wrong')], ['nobody-here', sha512('session-vid-pw')]]) {
      const r = await loginRequest(name, password);
      expect(r.json.error).toEqual({ code: 'ID.1000', description: 'Unable to authenticate a user', details: 'wrong account name or password' });
    }
    const missing = await new ZStackClient(stack.baseUrl).send('PUT', `${BASE}/login`, { body: { loginIAM2VirtualID: { name: 'session-vid' } } });
    refusedWith(missing, 'SYS.1007', 'field[password] of message[APILoginIAM2VirtualIDMsg] is mandatory, can not be null');
  });

  it('reads only itself and its own attributes', async () => {
    const client = await loginAsVirtualId('session-vid');
    expect(names(await client.send('GET', BASE))).toEqual(['session-vid']);
    expect((await client.send('GET', `${BASE}/${other.uuid}`)).json.inventories).toEqual([]);
    expect(names(await client.send('GET', `${BASE}/${me.uuid}`))).toEqual(['session-vid']);
    expect((await client.send('GET', `${BASE}?q=name=session-other`)).json.inventories).toEqual([]);
    const attrs = await client.send('GET', `${BASE}/attributes`);
    expect(attrs.json.inventories.map((a: Attribute) => a.name)).toEqual(['mine']);
    expect((await client.send('GET', `${BASE}/attributes?q=uuid=${other.attributes[0].uuid}`)).json.inventories).toEqual([]);
  });

  it('writes nothing, not even to itself (ID.1002)', async () => {
    const client = await loginAsVirtualId('session-vid');
    const attr = me.attributes[0].uuid;
    const refusals: Array<[Promise<HttpResult>, string]> = [
      [act(client, me.uuid, { updateIAM2VirtualID: { description: 'me' } }), 'APIUpdateIAM2VirtualIDMsg'],
      [act(client, me.uuid, { changeIAM2VirtualIDState: { stateEvent: 'disable' } }), 'APIChangeIAM2VirtualIDStateMsg'],
      [act(client, me.uuid, { changeIAM2VirtualIDType: { type: 'ZStack' } }), 'APIChangeIAM2VirtualIDTypeMsg'],
      [client.job('POST', `${BASE}/${me.uuid}/attributes`, { params: { attributes: [{ name: 'x', value: 'y' }] } }), 'APIAddAttributesToIAM2VirtualIDMsg'],
      [client.job('DELETE', `${BASE}/${me.uuid}/attributes?attributeUuids=${attr}`), 'APIRemoveAttributesFromIAM2VirtualIDMsg'],
      [client.job('PUT', `${BASE}/attributes/${attr}/actions`, { updateIAM2VirtualIDAttribute: { value: 'no' } }), 'APIUpdateIAM2VirtualIDAttributeMsg'],
      [client.job('DELETE', `${BASE}/${other.uuid}`), 'APIDeleteIAM2VirtualIDMsg'],
    ];
    for (const [call, msg] of refusals) refusedWith(await call, 'ID.1002', adminOnly(msg));
    expect((await admin.send('GET', `${BASE}/${me.uuid}`)).json.inventories[0]).toMatchObject({ state: 'Enabled', attributes: [expect.objectContaining({ value: 'yes' })] });
  });
});

describe('UpdateIAM2VirtualID', () => {
  it('changes name and description and moves lastOpDate', async () => {
    const vid = await createVirtualId('carol-vid');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const r = await act(admin, vid.uuid, { updateIAM2VirtualID: { name: 'caroline-vid', description: 'renamed' } });
    expect(r.status).toBe(200);
    expect(r.json.inventory).toMatchObject({ uuid: vid.uuid, name: 'caroline-vid', description: 'renamed', createDate: vid.createDate });
    expect(r.json.inventory.lastOpDate).not.toBe(vid.lastOpDate);
    expect(names(await admin.send('GET', `${BASE}?q=name=caroline-vid`))).toEqual(['caroline-vid']);
    expect((await admin.send('GET', `${BASE}?q=name=carol-vid`)).json.inventories).toEqual([]);
  });

  it.each([
    ['a missing virtual ID', async () => 'a'.repeat(32), { name: 'x' }, 'SYS.1003', notFoundText('a'.repeat(32))],
    ['a taken name', async () => (await createVirtualId('dave-vid')).uuid, { name: 'id1' }, 'SYS.1007', 'unable to update name. A virtual ID already called id1'],
    ['a wrong old password', async () => (await createVirtualId('erin-vid')).uuid, { password: sha512('new'), oldPassword: sha512('not-it') }, 'SYS.1006', undefined],
    ['a password over 2048 characters', async () => 'a'.repeat(32), { password: 'p'.repeat(2049) }, 'SYS.1007',
      'field[password] of message[APIUpdateIAM2VirtualIDMsg] exceeds max length of string. expected was <= 2048, actual was 2049'],
  ])('refuses %s', async (_what, uuid, updateIAM2VirtualID, code, details) => {
    refusedWith(await act(admin, await uuid(), { updateIAM2VirtualID }), code, details);
  });

  it('a password change ends the sessions of the virtual ID at once, and only the new password logs in', async () => {
    const vid = await createVirtualId('frank-vid');
    const client = await loginAsVirtualId('frank-vid');
    expect((await client.send('GET', BASE)).status).toBe(200);
    const r = await act(admin, vid.uuid, { updateIAM2VirtualID: { password: sha512('frank-new'), oldPassword: sha512('frank-vid-pw') } });
    expect(r.status).toBe(200);
    expect(r.text).not.toContain('password');
    refusedWith(await client.send('GET', BASE), 'ID.1001');
    expect((await loginRequest('frank-vid', sha512('frank-vid-pw'))).json.error.code).toBe('ID.1000');
    await loginAsVirtualId('frank-vid', sha512('frank-new'));
    expect((await admin.send('GET', BASE)).status).toBe(200);
  });
});

describe('ChangeIAM2VirtualIDState and ChangeIAM2VirtualIDType', () => {
  it('disabling ends the sessions at once and refuses logins (ID.1007) until enabled again', async () => {
    const vid = await createVirtualId('gina-vid');
    const client = await loginAsVirtualId('gina-vid');
    const disabled = await act(admin, vid.uuid, { changeIAM2VirtualIDState: { stateEvent: 'disable' } });
    expect(disabled.status).toBe(200);
    expect(disabled.json.inventory).toMatchObject({ uuid: vid.uuid, state: 'Disabled' });
    refusedWith(await client.send('GET', BASE), 'ID.1001');
    const login = await loginRequest('gina-vid', sha512('gina-vid-pw'));
    expect(login.json.error).toEqual({ code: 'ID.1007', description: 'The user is disabled', details: 'failed to login: virtual ID is disabled' });
    expect((await act(admin, vid.uuid, { changeIAM2VirtualIDState: { stateEvent: 'enable' } })).json.inventory.state).toBe('Enabled');
    expect((await (await loginAsVirtualId('gina-vid')).send('GET', BASE)).status).toBe(200);
  });

  it('changes the type to ZStack, the only valid type', async () => {
    const vid = await createVirtualId('harry-vid');
    const r = await act(admin, vid.uuid, { changeIAM2VirtualIDType: { type: 'ZStack' } });
    expect(r.status).toBe(200);
    expect(r.json.inventory).toMatchObject({ uuid: vid.uuid, type: 'ZStack' });
    refusedWith(await act(admin, vid.uuid, { changeIAM2VirtualIDType: { type: 'Ldap' } }), 'SYS.1007',
      'valid value for field[type] of message[APIChangeIAM2VirtualIDTypeMsg] are [ZStack], but Ldap found');
  });

  it.each([
    ['an unknown state event', async () => (await createVirtualId('ivy-vid')).uuid, { changeIAM2VirtualIDState: { stateEvent: 'freeze' } }, 'SYS.1007',
      'valid value for field[stateEvent] of message[APIChangeIAM2VirtualIDStateMsg] are [enable, disable], but freeze found'],
    ['no state event', async () => 'c'.repeat(32), { changeIAM2VirtualIDState: {} }, 'SYS.1007',
      'field[stateEvent] of message[APIChangeIAM2VirtualIDStateMsg] is mandatory, can not be null'],
    ['a missing virtual ID', async () => 'c'.repeat(32), { changeIAM2VirtualIDState: { stateEvent: 'disable' } }, 'SYS.1003', notFoundText('c'.repeat(32))],
    ['a type change of a missing virtual ID', async () => 'c'.repeat(32), { changeIAM2VirtualIDType: { type: 'ZStack' } }, 'SYS.1003', notFoundText('c'.repeat(32))],
  ])('refuses %s', async (_what, uuid, body, code, details) => {
    refusedWith(await act(admin, await uuid(), body), code, details);
  });
});

describe('attributes', () => {
  let vid: VirtualId;

  beforeAll(async () => {
    vid = await createVirtualId('attr-vid', { attributes: [{ name: 'team', value: 'blue' }] });
  });

  const attributesOf = async (uuid: string) =>
    (await admin.send('GET', `${BASE}/attributes?q=virtualIDUuid=${uuid}&sort=createDate`)).json.inventories as Attribute[];

  it('AddAttributesToIAM2VirtualID adds Customized attributes and answers {}', async () => {
    const r = await admin.job('POST', `${BASE}/${vid.uuid}/attributes`, { params: { attributes: [{ name: 'site', value: 'east' }, { name: 'flag' }] } });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({});
    const after = await attributesOf(vid.uuid);
    expect(after.map((a) => [a.name, a.value, a.type])).toEqual([['team', 'blue', 'Customized'], ['site', 'east', 'Customized'], ['flag', undefined, 'Customized']]);
    const viaVid = (await admin.send('GET', `${BASE}/${vid.uuid}`)).json.inventories[0] as VirtualId;
    expect(viaVid.attributes).toHaveLength(3);
    expect(viaVid.lastOpDate).toBe(vid.lastOpDate);
  });

  it.each([
    ['an empty list', () => vid.uuid, { attributes: [] }, 'SYS.1007', 'field[attributes] must be a nonempty list'],
    ['no list', () => vid.uuid, {}, 'SYS.1007', 'field[attributes] of message[APIAddAttributesToIAM2VirtualIDMsg] is mandatory, can not be null'],
    ['a value over 2048 characters', () => vid.uuid, { attributes: [{ name: 'n', value: 'v'.repeat(2049) }] }, 'SYS.1007',
      'field[attributes[0].value] of message[APIAddAttributesToIAM2VirtualIDMsg] exceeds max length of string. expected was <= 2048, actual was 2049'],
    ['a missing virtual ID', () => 'd'.repeat(32), { attributes: [{ name: 'n' }] }, 'SYS.1003', notFoundText('d'.repeat(32))],
  ])('AddAttributesToIAM2VirtualID refuses %s', async (_what, uuid, params, code, details) => {
    refusedWith(await admin.job('POST', `${BASE}/${uuid()}/attributes`, { params }), code, details);
  });

  it('UpdateIAM2VirtualIDAttribute changes a value, found by the attribute uuid alone, and answers the attribute', async () => {
    const [team] = await attributesOf(vid.uuid);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const r = await admin.send('PUT', `${BASE}/attributes/${team.uuid}/actions`, {
      body: { updateIAM2VirtualIDAttribute: { value: 'green' } }, headers: { 'X-Job-UUID': newJobId(), 'X-JSON-Schema': 'true' },
    });
    expect(r.status).toBe(200);
    expect(r.json.inventory).toMatchObject({ uuid: team.uuid, name: 'team', value: 'green', type: 'Customized', virtualIDUuid: vid.uuid, createDate: team.createDate });
    expect(r.json.inventory.lastOpDate).not.toBe(team.lastOpDate);
    expect(r.json.schema).toEqual({ inventory: ATTR_CLASS });
    expect((await attributesOf(vid.uuid))[0].value).toBe('green');
  });

  it.each([
    ['an unknown attribute', () => 'e'.repeat(32), { value: 'v' }, 'SYS.1003', `invalid field[uuid], resource[uuid:${'e'.repeat(32)}, type:IAM2VirtualIDAttributeVO] not found`],
    ['no value', () => 'e'.repeat(32), {}, 'SYS.1007', 'field[value] of message[APIUpdateIAM2VirtualIDAttributeMsg] is mandatory, can not be null'],
    ['a value over 2048 characters', () => vid.attributes[0].uuid, { value: 'v'.repeat(2049) }, 'SYS.1007',
      'field[value] of message[APIUpdateIAM2VirtualIDAttributeMsg] exceeds max length of string. expected was <= 2048, actual was 2049'],
  ])('UpdateIAM2VirtualIDAttribute refuses %s', async (_what, uuid, updateIAM2VirtualIDAttribute, code, details) => {
    refusedWith(await admin.job('PUT', `${BASE}/attributes/${uuid()}/actions`, { updateIAM2VirtualIDAttribute }), code, details);
  });

  it('RemoveAttributesFromIAM2VirtualID removes the attributes named by repeated attributeUuids and answers {}', async () => {
    const [team, site, flag] = await attributesOf(vid.uuid);
    const r = await admin.job('DELETE', `${BASE}/${vid.uuid}/attributes?attributeUuids=${site.uuid}&attributeUuids=${flag.uuid}`);
    expect(r.status).toBe(200);
    expect(r.json).toEqual({});
    expect((await attributesOf(vid.uuid)).map((a) => a.uuid)).toEqual([team.uuid]);
    refusedWith(await admin.job('PUT', `${BASE}/attributes/${site.uuid}/actions`, { updateIAM2VirtualIDAttribute: { value: 'gone' } }), 'SYS.1003');
  });

  it.each([
    ['no attributeUuids', () => `${BASE}/${vid.uuid}/attributes`, 'SYS.1007',
      () => 'field[attributeUuids] of message[APIRemoveAttributesFromIAM2VirtualIDMsg] is mandatory, can not be null'],
    ['an attribute of another virtual ID', () => `${BASE}/${vid.uuid}/attributes?attributeUuids=${foreignAttribute}`, 'SYS.1003',
      () => `invalid field[attributeUuids], resource[uuid:${foreignAttribute}, type:IAM2VirtualIDAttributeVO] not found`],
    ['a missing virtual ID', () => `${BASE}/${'f'.repeat(32)}/attributes?attributeUuids=${'e'.repeat(32)}`, 'SYS.1003', () => notFoundText('f'.repeat(32))],
  ])('RemoveAttributesFromIAM2VirtualID refuses %s', async (_what, path, code, details) => {
    foreignAttribute ??= (await createVirtualId('foreign-vid', { attributes: [{ name: 'f' }] })).attributes[0].uuid;
    refusedWith(await admin.job('DELETE', path()), code, details());
  });
});
let foreignAttribute: string | undefined;

describe('DeleteIAM2VirtualID', () => {
  it('deletes a virtual ID with its attributes, ends its sessions, frees its name, and a second delete still succeeds', async () => {
    const vid = await createVirtualId('jack-vid', { attributes: [{ name: 'j', value: '1' }] });
    const client = await loginAsVirtualId('jack-vid');
    const r = await admin.job('DELETE', `${BASE}/${vid.uuid}?deleteMode=Permissive`);
    expect(r.status).toBe(200);
    expect(r.json).toEqual({});
    expect((await admin.send('GET', `${BASE}/${vid.uuid}`)).json.inventories).toEqual([]);
    expect((await admin.send('GET', `${BASE}/attributes?q=virtualIDUuid=${vid.uuid}`)).json.inventories).toEqual([]);
    refusedWith(await client.send('GET', BASE), 'ID.1001');
    expect((await loginRequest('jack-vid', sha512('jack-vid-pw'))).json.error.code).toBe('ID.1000');
    expect((await admin.job('DELETE', `${BASE}/${vid.uuid}`)).status).toBe(200);
    expect((await createVirtualId('jack-vid')).uuid).not.toBe(vid.uuid);
  });

  it.each([
    ['a malformed uuid', 'not-a-uuid?deleteMode=Permissive', 'SYS.1003', 'invalid value[not-a-uuid] of field [uuid]'],
    ['an unknown delete mode', `${'a'.repeat(32)}?deleteMode=Soft`, 'SYS.1007',
      'valid value for field[deleteMode] of message[APIDeleteIAM2VirtualIDMsg] are [Permissive, Enforcing], but Soft found'],
  ])('refuses %s', async (_what, target, code, details) => {
    refusedWith(await admin.job('DELETE', `${BASE}/${target}`), code, details);
  });
});

describe('sessions of virtual IDs that are gone', () => {
  it('are refused even when they escaped the sweep (another replica, a race): the virtual ID must exist and be enabled', async () => {
    const { connectNats } = await import('@cp/bus');
    const nc = await connectNats(stack.nats.url, 'forged-sessions');
    try {
      const kv = await nc.jetstream().views.kv(SESSIONS_BUCKET);
      const vid = await createVirtualId('kate-vid');
      const plant = async () => {
        const uuid = randomUUID().replace(/-/g, '');
        const now = Date.now();
        await kv.put(uuid, JSON.stringify({
          uuid, accountUuid: ADMIN_ACCOUNT_UUID, userUuid: vid.uuid, userType: 'IAM2VirtualID',
          expiredDate: new Date(now + 3_600_000).toISOString(), createDate: new Date(now).toISOString(),
        }));
        return new ZStackClient(stack.baseUrl, uuid);
      };
      expect((await (await plant()).send('GET', BASE)).status).toBe(200);
      expect((await act(admin, vid.uuid, { changeIAM2VirtualIDState: { stateEvent: 'disable' } })).status).toBe(200);
      refusedWith(await (await plant()).send('GET', BASE), 'ID.1001', 'Session expired');
      expect((await act(admin, vid.uuid, { changeIAM2VirtualIDState: { stateEvent: 'enable' } })).status).toBe(200);
      expect((await (await plant()).send('GET', BASE)).status).toBe(200);
      expect((await admin.job('DELETE', `${BASE}/${vid.uuid}`)).status).toBe(200);
      refusedWith(await (await plant()).send('GET', BASE), 'ID.1001', 'Session expired');
    } finally {
      await nc.drain();
    }
  });
});

describe('read-your-writes across the account and virtual ID read models', () => {
  it('answers a query at once after a write to the other model', async () => {
    const client = new ZStackClient(stack.baseUrl);
    await client.login();
    const timed = async (path: string) => {
      const started = Date.now();
      const r = await client.send('GET', path);
      expect(r.status).toBe(200);
      return Date.now() - started;
    };
    expect((await client.job('POST', BASE, { params: { name: 'ryw-vid', password: sha512('ryw') } })).status).toBe(200);
    expect(await timed('/zstack/v1/accounts?q=name=admin')).toBeLessThan(2000);
    expect((await client.job('POST', '/zstack/v1/accounts', { params: { name: 'ryw-account', password: sha512('ryw') } })).status).toBe(200);
    expect((await client.send('GET', '/zstack/v1/accounts?q=name=ryw-account')).json.inventories).toHaveLength(1);
    expect(await timed(`${BASE}?q=name=ryw-vid`)).toBeLessThan(2000);
    expect((await client.send('GET', `${BASE}?q=name=ryw-vid`)).json.inventories).toHaveLength(1);
    expect(await timed(`${BASE}/attributes`)).toBeLessThan(2000);
  });
});

describe('the log', () => {
  it('holds every change as an event in iam2vid streams, with slow hashes and never a password a client sent', async () => {
    const { JetStreamEventStore } = await import('@cp/event-store');
    const { connectNats } = await import('@cp/bus');
    const nc = await connectNats(stack.nats.url, 'secret-scan');
    try {
      const store = new JetStreamEventStore(nc, { context: 'identity' });
      const events = await store.readAll(null, { limit: 100_000 });
      const iam2 = events.filter((e) => e.streamId.startsWith('iam2vid-'));
      expect([...new Set(iam2.map((e) => e.type))].sort()).toEqual(IAM2_EVENT_TYPES);
      expect(iam2.every((e) => e.streamId === `iam2vid-${String(e.data.uuid)}`)).toBe(true);
      const created = iam2.filter((e) => e.type === 'IAM2VirtualIDCreated');
      expect(created.every((e) => e.data.accountUuid === ADMIN_ACCOUNT_UUID)).toBe(true);
      for (const e of events.filter((ev) => 'passwordHash' in ev.data)) expect(String(e.data.passwordHash)).toMatch(/^\$scrypt\$ln=\d+,r=\d+,p=\d+\$/);
      expect(events.some((e) => e.type === 'LoginSucceeded' && e.data.loginType === 'iam2')).toBe(true);
      const text = JSON.stringify(events.map(({ position, streamVersion, ...e }) => e));
      for (const password of sentPasswords) expect(text).not.toContain(password);
      const logs = printed.join('');
      for (const password of sentPasswords) expect(logs).not.toContain(password);
      expect(logs).not.toContain('$scrypt$');
    } finally {
      await nc.drain();
    }
  });

  it('rebuilds the same virtual IDs and attributes after identity-svc restarts', async () => {
    const before = await admin.send('GET', `${BASE}?sort=name`);
    const attributesBefore = await admin.send('GET', `${BASE}/attributes?sort=uuid`);
    await stack.stopIdentity();
    await stack.startIdentity();
    expect((await admin.send('GET', `${BASE}?sort=name`)).json).toEqual(before.json);
    expect((await admin.send('GET', `${BASE}/attributes?sort=uuid`)).json).toEqual(attributesBefore.json);
    expect((await loginRequest('id1', sha512('id1-pw'))).status).toBe(200);
  });
});

describe('identity.session.maxConcurrent', () => {
  afterAll(async () => {
    await stack.stopIdentity();
    await stack.startIdentity();
  });

  it('counts the sessions of each virtual ID on their own, not against the owning account', async () => {
    await createVirtualId('busy-vid');
    await stack.stopIdentity();
    // A clean slate: no session of the tests above counts.
    const { connectNats } = await import('@cp/bus');
    const nc = await connectNats(stack.nats.url, 'session-purge');
    try {
      const kv = await nc.jetstream().views.kv(SESSIONS_BUCKET);
      const keys: string[] = [];
      for await (const key of await kv.keys()) keys.push(key);
      for (const key of keys) await kv.delete(key);
    } finally {
      await nc.drain();
    }
    await stack.startIdentity({ ...stack.identityConfig, sessionMaxConcurrent: 2 });
    const adminLogin = () => new ZStackClient(stack.baseUrl).send('PUT', '/zstack/v1/accounts/login', {
      body: { logInByAccount: { accountName: 'admin', password: ADMIN_PASSWORD } },
    });
    expect((await adminLogin()).status).toBe(200);
    const logins = [];
    for (let i = 0; i < 3; i++) logins.push(await loginRequest('busy-vid', sha512('busy-vid-pw')));
    expect(logins.slice(0, 2).map((r) => r.status)).toEqual([200, 200]);
    refusedWith(logins[2], 'ID.1006', 'Login sessions hit limit of max allowed concurrent login sessions: 2');
    // The virtual ID's two sessions take none of the owning account's room.
    expect((await adminLogin()).status).toBe(200);
    refusedWith(await adminLogin(), 'ID.1006');
  });
});
