import { createHash } from 'node:crypto';
import { connectNats } from '@cp/bus';
import { ALL_CONTEXTS, JetStreamEventStore, type StoredEvent } from '@cp/event-store';
import { COMMON_PARAMS_FOR_TESTS } from './support/audit-fixtures';
import { TestStack } from './support/stack';
import { newJobId, ZStackClient, type HttpResult } from './support/zstack-client';

/**
 * Hostile input at the REST edge: null values (absent when optional, SYS.1007 when mandatory, never
 * written into an event), nesting too deep to parse, and a shared PUT path without its action key.
 */

const sha512 = (t: string) => createHash('sha512').update(t).digest('hex');
let stack: TestStack;
let admin: ZStackClient;

beforeAll(async () => {
  stack = await TestStack.start();
  admin = new ZStackClient(stack.baseUrl);
  await admin.login();
});

afterAll(async () => {
  await stack?.stop();
});

/** The events one command (job id) wrote, read from the store itself. */
async function eventsOf(commandId: string): Promise<StoredEvent[]> {
  const nc = await connectNats(stack.nats.url, 'hardening-reader');
  try {
    const store = new JetStreamEventStore(nc, { context: ALL_CONTEXTS });
    return (await store.readAll(null)).filter((e) => e.metadata.commandId === commandId);
  } finally {
    await nc.drain();
  }
}

const nullFieldsOf = (events: StoredEvent[]) =>
  events.flatMap((e) => Object.entries(e.data).filter(([, v]) => v === null).map(([k]) => `${e.type}.${k}`));

/** An async call followed to its end, with the job id it ran under. */
async function job(method: string, path: string, body: unknown): Promise<HttpResult & { jobId: string }> {
  const jobId = newJobId();
  return { ...(await admin.job(method, path, body, jobId)), jobId };
}

describe('null in a request body', () => {
  let account: { uuid: string; name: string; state: string };
  let vid: { uuid: string; name: string };
  let template: { uuid: string; name: string; content: string };

  beforeAll(async () => {
    account = (await admin.job('POST', '/zstack/v1/accounts', { params: { name: 'nully', password: sha512('nully-pw') } })).json.inventory;
    vid = (await admin.job('POST', '/zstack/v1/iam2/virtual-ids', { params: { name: 'nully-vid', password: sha512('vid-pw') } })).json.inventory;
    template = (await admin.job('POST', '/zstack/v1/baremetal/preconfigurations', {
      params: { name: 'nully-template', distribution: 'd', type: 'kickstart', content: COMMON_PARAMS_FOR_TESTS },
    })).json.inventory;
  });

  it.each([
    ['name', { name: null }],
    ['state', { state: null }],
    ['every optional field', { name: null, state: null, description: null, password: null, oldPassword: null, systemTags: null }],
  ])('UpdateAccount with %s null changes nothing and writes no null', async (_label, fields) => {
    const r = await job('PUT', `/zstack/v1/accounts/${account.uuid}`, { updateAccount: fields });
    expect(r.status).toBe(200);
    expect(r.json.inventory).toMatchObject({ name: 'nully', state: 'Enabled' });
    expect(nullFieldsOf(await eventsOf(r.jobId))).toEqual([]);
    const q = await admin.send('GET', `/zstack/v1/accounts/${account.uuid}`);
    expect(q.json.inventories[0]).toMatchObject({ name: 'nully', state: 'Enabled' });
    // The password was not touched: the account still logs in with it.
    await new ZStackClient(stack.baseUrl).login('nully', sha512('nully-pw'));
  });

  it('UpdateIAM2VirtualID with a null name or password changes nothing (no crash, no null written)', async () => {
    for (const fields of [{ name: null }, { password: null }, { password: null, oldPassword: null, description: null }]) {
      const r = await job('PUT', `/zstack/v1/iam2/virtual-ids/${vid.uuid}/actions`, { updateIAM2VirtualID: fields });
      expect([r.status, r.json.error]).toEqual([200, undefined]);
      expect(r.json.inventory.name).toBe('nully-vid');
      expect(nullFieldsOf(await eventsOf(r.jobId))).toEqual([]);
    }
    const login = await new ZStackClient(stack.baseUrl).send('PUT', '/zstack/v1/iam2/virtual-ids/login', {
      body: { loginIAM2VirtualID: { name: 'nully-vid', password: sha512('vid-pw') } },
    });
    expect(login.status).toBe(200);
  });

  it('UpdatePreconfigurationTemplate with a null name or content changes nothing (no crash, no null written)', async () => {
    for (const fields of [{ name: null }, { content: null }, { name: null, description: null, distribution: null, type: null, content: null }]) {
      const r = await job('PUT', `/zstack/v1/baremetal/preconfigurations/${template.uuid}/actions`, { updatePreconfigurationTemplate: fields });
      expect([r.status, r.json.error]).toEqual([200, undefined]);
      expect(r.json.inventory).toMatchObject({ name: 'nully-template', content: COMMON_PARAMS_FOR_TESTS });
      expect(nullFieldsOf(await eventsOf(r.jobId))).toEqual([]);
    }
  });

  it.each([
    ['CreateAccount', 'POST', '/zstack/v1/accounts', { params: { name: null, password: sha512('x') } }, 'name', 'APICreateAccountMsg'],
    ['ChangeIAM2VirtualIDState', 'PUT', '/zstack/v1/iam2/virtual-ids/{vid}/actions', { changeIAM2VirtualIDState: { stateEvent: null } }, 'stateEvent', 'APIChangeIAM2VirtualIDStateMsg'],
    ['AddPreconfigurationTemplate', 'POST', '/zstack/v1/baremetal/preconfigurations', {
      params: { name: 'n', distribution: 'd', type: 'kickstart', content: null },
    }, 'content', 'APIAddPreconfigurationTemplateMsg'],
  ])('%s with a mandatory field null fails SYS.1007 "mandatory" and writes nothing', async (_api, method, path, body, field, message) => {
    const r = await job(method, path.replace('{vid}', vid.uuid), body);
    expect(r.status).toBe(503);
    expect(r.json.error).toMatchObject({ code: 'SYS.1007', details: `field[${field}] of message[${message}] is mandatory, can not be null` });
    expect(await eventsOf(r.jobId)).toEqual([]);
  });

  it('a sync API (login) with a mandatory field null answers 503 SYS.1007 "mandatory"', async () => {
    const r = await new ZStackClient(stack.baseUrl).send('PUT', '/zstack/v1/accounts/login', { body: { logInByAccount: { accountName: 'admin', password: null } } });
    expect(r.status).toBe(503);
    expect(r.json.error).toMatchObject({ code: 'SYS.1007', details: 'field[password] of message[APILogInByAccountMsg] is mandatory, can not be null' });
  });
});

describe('nesting depth of a JSON body', () => {
  const nested = (depth: number, inner = '1') => '['.repeat(depth) + inner + ']'.repeat(depth);
  const objects = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

  it.each([
    ['arrays', nested(60_000)],
    ['objects', objects(60_000)],
    ['arrays inside the action object', `{"updateAccount":{"notAField":${nested(60_000)}}}`],
    ['objects inside the action object', `{"updateAccount":{"notAField":${objects(60_000)}}}`],
  ])('60,000 levels of %s: 400 plain text on /zstack/v1, as for malformed JSON', async (_label, body) => {
    const malformed = await admin.send('POST', '/zstack/v1/accounts', { rawBody: '{"params":', headers: { 'Content-Type': 'application/json' } });
    expect(malformed.status).toBe(400);
    const r = await admin.send('PUT', `/zstack/v1/accounts/${'a'.repeat(32)}`, { rawBody: body, headers: { 'Content-Type': 'application/json' } });
    expect(r.status).toBe(400);
    expect(r.json).toBeUndefined();
    expect(r.headers.get('content-type')).toBe(malformed.headers.get('content-type'));
    expect(r.text).toMatch(/^invalid JSON body: .*nest/);
  });

  it('60,000 levels on /api/v1: 400 with the JSON error form used there for malformed JSON', async () => {
    const headers = { 'Content-Type': 'application/json', Authorization: `Bearer ${admin.session}` };
    const malformed = await admin.send('POST', '/api/v1/platforms', { rawBody: '{"name":', headers });
    expect(malformed.status).toBe(400);
    const r = await admin.send('POST', '/api/v1/platforms', { rawBody: `{"name":${nested(60_000)}}`, headers });
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe(malformed.json.error.code);
    expect(r.json.error.details).toMatch(/nest/);
  });

  it('a body within the bound still parses (deep structures reach validation, not the parser)', async () => {
    const r = await job('PUT', `/zstack/v1/accounts/${'a'.repeat(32)}`, { updateAccount: { notAField: JSON.parse(nested(60)) } });
    expect(r.status).toBe(503);
    expect(r.json.error.code).toBe('SYS.1003');
    // Brackets inside strings are text, not nesting.
    const text = { updateAccount: { description: '['.repeat(100_000) } };
    const s = await admin.send('PUT', `/zstack/v1/accounts/${'a'.repeat(32)}`, { body: text });
    expect(s.status).not.toBe(400);
  });
});

describe('PUT on a shared path without its action key', () => {
  let uuid: string;
  beforeAll(async () => {
    uuid = (await admin.job('POST', '/zstack/v1/accounts', { params: { name: 'keyless', password: sha512('k') } })).json.inventory.uuid;
  });

  it.each([
    ['an unknown key', { notAnAction: {} }],
    ['an empty body', {}],
    ['only systemTags', { systemTags: ['a'] }],
  ])('/accounts/{uuid} with %s: 400 plain text, nothing run', async (_label, body) => {
    const jobId = newJobId();
    const r = await admin.send('PUT', `/zstack/v1/accounts/${uuid}`, { body, headers: { 'X-Job-UUID': jobId } });
    expect(r.status).toBe(400);
    expect(r.text).toBe(`the body doesn't contain action mapping to the URL[/zstack/v1/accounts/${uuid}]`);
    expect(await eventsOf(jobId)).toEqual([]);
    expect((await admin.send('GET', `/zstack/v1/api-jobs/${jobId}`)).status).toBe(404);
  });

  it('with no body at all: 400 too', async () => {
    const r = await admin.send('PUT', `/zstack/v1/accounts/${uuid}`);
    expect(r.status).toBe(400);
    expect(r.text).toBe(`the body doesn't contain action mapping to the URL[/zstack/v1/accounts/${uuid}]`);
  });

  it('the action key still selects the API', async () => {
    const r = await admin.job('PUT', `/zstack/v1/accounts/${uuid}`, { updateAccount: { description: 'kept' } });
    expect(r.status).toBe(200);
    expect(r.json.inventory.description).toBe('kept');
  });

  it('a path served by one API only reads its key as ZStack does: absent, the message has no fields (SYS.1007 mandatory)', async () => {
    const r = await new ZStackClient(stack.baseUrl).send('PUT', '/zstack/v1/accounts/login', { body: { notAnAction: {} } });
    expect(r.status).toBe(503);
    expect(r.json.error).toMatchObject({ code: 'SYS.1007', details: 'field[accountName] of message[APILogInByAccountMsg] is mandatory, can not be null' });
  });
});

describe('query parameter names that look like a path into a prototype', () => {
  it.each(['__proto__.polluted=yes', '__proto__.0=a', 'constructor.prototype=1', 'toString.polluted=1', 'clientInfo=x&clientInfo.a=b'])(
    '%s on GET and DELETE: no SYS.1000, no prototype changed in the gateway', async (query) => {
      const before = Object.getOwnPropertyNames(Object.prototype).sort();
      const del = await admin.send('DELETE', `/zstack/v1/accounts/sessions/${'a'.repeat(32)}?${query}`);
      const get = await admin.send('GET', `/zstack/v1/accounts/sessions/${'a'.repeat(32)}/valid?${query}`);
      expect([del.status, get.status]).toEqual([200, 200]);
      expect(get.json).toEqual({ valid: false });
      expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(before);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect((Object.prototype.toString as unknown as Record<string, unknown>).polluted).toBeUndefined();
    });
});
