import { createHash } from 'node:crypto';
import { JetStreamEventStore, type StoredEvent } from '@cp/event-store';
import { connectNats } from '@cp/bus';
import { ADMIN_ACCOUNT_UUID, PRECONFIGURATION_CONTENT_MAX_LENGTH } from '@cp/contracts';
import { TestStack } from './support/stack';
import { ZStackClient, type HttpResult } from './support/zstack-client';

/** Baremetal preconfiguration templates over real HTTP and NATS: every API and rule of §5, the preview, the log. */

const BASE = '/zstack/v1/baremetal/preconfigurations';
const CLASS = 'org.zstack.header.baremetal.preconfiguration.PreconfigurationTemplateInventory';
const ZSTACK_DATE = /^[A-Z][a-z]{2} \d{1,2}, \d{4} \d{1,2}:\d{2}:\d{2} [AP]M$/;
const FIELDS = ['uuid', 'name', 'description', 'distribution', 'type', 'content', 'md5sum', 'isPredefined', 'state', 'createDate', 'lastOpDate', 'customParams'];
const PREDEFINED = [
  'centos_7_aarch64_min_v1', 'centos_7_x86_64_mini_v1', 'kylin_10_aarch64_min_v1', 'kylin_10_x86_64_min_v1',
  'openEuler_20_aarch64_min_v1', 'opensuse_15_x86_64_mini_v1', 'ubuntu_16_x86_64_mini_v2', 'ubuntu_18_x86_64_mini_v1',
  'ubuntu_20_live_server_x86_64_mini_v1', 'zstack_expert_x86_64_v2', 'zstack_host_x86_64_v3',
];

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');
const kickstart = (extra = '') => [
  'url --url={{ REPO_URL }}', 'user --name={{ USERNAME }}', 'rootpw --iscrypted {{ PASSWORD }}', '{{ NETWORK_CFGS }}',
  '{{ FORCE_INSTALL }}', '%pre', '{{ PRE_SCRIPTS }}', '%end', '%post', '{{ POST_SCRIPTS }}', '%end', extra, '',
].join('\n');

let stack: TestStack;
let admin: ZStackClient;
let normal: ZStackClient;

beforeAll(async () => {
  stack = await TestStack.start();
  admin = new ZStackClient(stack.baseUrl);
  await admin.login();
  const password = createHash('sha512').update('normal-pw').digest('hex');
  expect((await admin.job('POST', '/zstack/v1/accounts', { params: { name: 'normal', password } })).status).toBe(200);
  normal = new ZStackClient(stack.baseUrl);
  await normal.login('normal', password);
});

afterAll(async () => {
  await stack?.stop();
});

async function events(): Promise<StoredEvent[]> {
  const nc = await connectNats(stack.nats.url, 'baremetal-log');
  try {
    return await new JetStreamEventStore(nc, { context: 'baremetal' }).readAll(null, { limit: 100_000 });
  } finally {
    await nc.drain();
  }
}

const addTemplate = (client: ZStackClient, params: Record<string, unknown>) => client.job('POST', BASE, { params });
async function added(params: Record<string, unknown> = {}): Promise<Record<string, any>> {
  const r = await addTemplate(admin, { name: 'ks', distribution: 'centos-x86_64', type: 'kickstart', content: kickstart(), ...params });
  expect(r.status).toBe(200);
  return r.json.inventory;
}
const act = (client: ZStackClient, uuid: string, body: Record<string, unknown>) => client.job('PUT', `${BASE}/${uuid}/actions`, body);
const refused = (r: HttpResult, code: string, details?: string | RegExp) => {
  expect(r.status).toBe(503);
  expect(r.json.error.code).toBe(code);
  if (typeof details === 'string') expect(r.json.error.details).toBe(details);
  if (details instanceof RegExp) expect(r.json.error.details).toMatch(details);
};
const byName = async (name: string) => (await admin.send('GET', `${BASE}?q=name=${encodeURIComponent(name)}`)).json.inventories[0];
const predefinedUuid = async (name: string) => (await byName(name)).uuid as string;

describe('predefined templates', () => {
  it('are the eleven of ZStack, owned by the admin, Enabled and predefined, each with the seven common params', async () => {
    const r = await normal.send('GET', `${BASE}?q=isPredefined=true&sort=name&replyWithCount=true`, { headers: { 'X-JSON-Schema': 'true' } });
    expect(r.status).toBe(200);
    expect(r.json.total).toBe(11);
    const inventories = r.json.inventories as Array<Record<string, any>>;
    expect(inventories.map((i) => i.name)).toEqual(PREDEFINED);
    for (const i of inventories) {
      expect(i).toMatchObject({ isPredefined: true, state: 'Enabled' });
      expect(i.md5sum).toBe(md5(i.content));
      expect(i.createDate).toMatch(ZSTACK_DATE);
      for (const p of ['REPO_URL', 'USERNAME', 'PASSWORD', 'NETWORK_CFGS', 'FORCE_INSTALL', 'PRE_SCRIPTS', 'POST_SCRIPTS']) {
        expect(i.content).toMatch(new RegExp(`\\{\\{\\s*${p}\\s*\\}\\}`));
      }
    }
    expect(Object.fromEntries(inventories.map((i) => [i.name, [i.type, i.distribution]]))).toMatchObject({
      centos_7_x86_64_mini_v1: ['kickstart', 'centos-x86_64'],
      opensuse_15_x86_64_mini_v1: ['autoyast', 'opensuse-x86_64'],
      ubuntu_18_x86_64_mini_v1: ['preseed', 'ubuntu-x86_64'],
      ubuntu_20_live_server_x86_64_mini_v1: ['autoinstall', 'ubuntu-live-server-x86_64'],
      zstack_host_x86_64_v3: ['kickstart', 'zstack-x86_64'],
    });
    expect(r.json.schema).toEqual(Object.fromEntries(inventories.map((_, n) => [`inventories[${n}]`, CLASS])));
  });

  it('cannot be updated, state-changed or deleted', async () => {
    const uuid = await predefinedUuid('centos_7_x86_64_mini_v1');
    refused(await act(admin, uuid, { updatePreconfigurationTemplate: { name: 'x' } }), 'SYS.1007', 'cannot update predefined preconfiguration templates');
    refused(await act(admin, uuid, { changePreconfigurationTemplateState: { stateEvent: 'disable' } }), 'SYS.1007',
      'cannot change state of predefined preconfiguration templates');
    refused(await admin.job('DELETE', `${BASE}/${uuid}`), 'SYS.1007', 'cannot delete predefined preconfiguration templates');
  });
});

describe('AddPreconfigurationTemplate', () => {
  it('adds a template with every inventory field, its md5sum and custom params, and writes the event', async () => {
    const content = kickstart('network --hostname={{ hostname }}\n# {{ hostname }} {{ disk }}');
    const r = await admin.send('POST', BASE, {
      body: { params: { name: 'centos-7.2-minimal', description: 'centos-7.2-minimal kickstart file', distribution: 'centos7.2-x86_64', type: 'kickstart', content }, systemTags: [], userTags: [] },
      headers: { 'X-JSON-Schema': 'true' },
    });
    const done = r.status === 202 ? await admin.poll(r.json.location) : r;
    expect(done.status).toBe(200);
    const inv = done.json.inventory;
    expect(Object.keys(inv)).toEqual(FIELDS);
    expect(inv).toMatchObject({
      name: 'centos-7.2-minimal', description: 'centos-7.2-minimal kickstart file', distribution: 'centos7.2-x86_64', type: 'kickstart',
      content, md5sum: md5(content), isPredefined: false, state: 'Enabled', customParams: ['hostname', 'disk'],
    });
    expect(inv.uuid).toMatch(/^[0-9a-f]{32}$/);
    expect(inv.createDate).toMatch(ZSTACK_DATE);
    expect(done.json.schema).toEqual({ inventory: CLASS });
    const log = (await events()).filter((e) => e.streamId === `preconfigtemplate-${inv.uuid}`);
    expect(log.map((e) => e.type)).toEqual(['PreconfigurationTemplateAdded']);
    expect(log[0].data).toMatchObject({ ownerAccountUuid: ADMIN_ACCOUNT_UUID, md5sum: md5(content), isPredefined: false });
  });

  it('refuses each §5 rule with SYS.1007 and its text, and nothing refused leaves an event', async () => {
    const before = (await events()).length;
    const base = { name: 'bad', distribution: 'd', type: 'kickstart', content: kickstart() };
    refused(await addTemplate(admin, { ...base, name: undefined }), 'SYS.1007', /field\[name\].*mandatory/);
    refused(await addTemplate(admin, { ...base, name: 'n'.repeat(256) }), 'SYS.1007', /field\[name\]/);
    refused(await addTemplate(admin, { ...base, description: 'd'.repeat(2049) }), 'SYS.1007', /field\[description\]/);
    refused(await addTemplate(admin, { ...base, distribution: 'd'.repeat(65) }), 'SYS.1007', /field\[distribution\]/);
    refused(await addTemplate(admin, { ...base, distribution: undefined }), 'SYS.1007', /field\[distribution\].*mandatory/);
    const badType = await addTemplate(admin, { ...base, type: 'cloud-init' });
    refused(badType, 'SYS.1007', /field\[type\]/);
    expect(badType.json.error.details).toContain('[kickstart, preseed, autoyast, autoinstall]');
    refused(await addTemplate(admin, { ...base, content: undefined }), 'SYS.1007', /field\[content\].*mandatory/);
    refused(await addTemplate(admin, { ...base, content: 'url --url={{ REPO_URL }}' }), 'SYS.1007', 'common params missing in template content');
    refused(await addTemplate(admin, { ...base, content: kickstart('{{ IMAGE_UUID }} {{ OTHER }}') }), 'SYS.1007',
      'unknown common params exist in template content');
    const long = 'p'.repeat(256);
    refused(await addTemplate(admin, { ...base, content: kickstart(`{{ ${long} }}`) }), 'SYS.1007', `custom param ${long} is too long`);
    refused(await addTemplate(normal, base), 'ID.1002', /admin only/);
    refused(await new ZStackClient(stack.baseUrl, 'f'.repeat(32)).job('POST', BASE, { params: base }), 'ID.1001');
    expect((await events()).length).toBe(before);
  });

  it('keeps a 5 MiB content intact, with the right md5sum', async () => {
    const filler = Array.from({ length: 5 * 1024 * 1024 / 56 }, (_, n) => `# line ${String(n).padStart(8, '0')} ü ${'x'.repeat(40)}`).join('\n');
    const content = kickstart(filler);
    expect(content.length).toBeGreaterThan(5 * 1024 * 1024);
    const inv = await added({ name: 'big', content });
    expect(inv.md5sum).toBe(md5(content));
    const back = await admin.send('GET', `${BASE}/${inv.uuid}`);
    expect(back.json.inventories[0].content).toBe(content);
    expect(back.json.inventories[0].md5sum).toBe(md5(content));
    const slim = await admin.send('GET', `${BASE}?q=uuid=${inv.uuid}&fields=uuid,name,md5sum`);
    expect(slim.json.inventories).toEqual([{ uuid: inv.uuid, name: 'big', md5sum: md5(content) }]);
    expect(slim.text.length).toBeLessThan(400);
  });

  it('refuses a content over 16,777,215 characters with SYS.1007, and a body over the route limit with 413', async () => {
    const over = kickstart('#'.repeat(PRECONFIGURATION_CONTENT_MAX_LENGTH));
    refused(await addTemplate(admin, { name: 'huge', distribution: 'd', type: 'kickstart', content: over }), 'SYS.1007', /field\[content\]/);
    const tooBig = await admin.send('POST', BASE, { rawBody: `{"params":{"content":"${'#'.repeat(40 * 1024 * 1024)}"}}` });
    expect(tooBig.status).toBe(413);
    // Other routes keep the default limit.
    const elsewhere = await admin.send('POST', '/zstack/v1/accounts', { rawBody: `{"params":{"name":"${'n'.repeat(2 * 1024 * 1024)}"}}` });
    expect(elsewhere.status).toBe(413);
  });
});

describe('UpdatePreconfigurationTemplate', () => {
  it('changes fields; md5sum and customParams move only with the content; lastOpDate moves on every change', async () => {
    const inv = await added({ name: 'to-update' });
    await new Promise((r) => setTimeout(r, 1100));
    const renamed = await act(admin, inv.uuid, { updatePreconfigurationTemplate: { name: 'updated', distribution: 'centos-aarch64', type: 'kickstart' } });
    expect(renamed.status).toBe(200);
    expect(renamed.json.inventory).toMatchObject({ name: 'updated', distribution: 'centos-aarch64', md5sum: inv.md5sum, customParams: [] });
    expect(renamed.json.inventory.lastOpDate).not.toBe(inv.lastOpDate);
    const content = kickstart('{{ disk }}');
    const recontent = await act(admin, inv.uuid, { updatePreconfigurationTemplate: { content } });
    expect(recontent.json.inventory).toMatchObject({ content, md5sum: md5(content), customParams: ['disk'], createDate: inv.createDate });
    const log = (await events()).filter((e) => e.streamId === `preconfigtemplate-${inv.uuid}`);
    expect(log.map((e) => e.type)).toEqual(['PreconfigurationTemplateAdded', 'PreconfigurationTemplateUpdated', 'PreconfigurationTemplateUpdated']);
    expect(log[1].data).not.toHaveProperty('md5sum');
  });

  it('refuses a bad content, a missing uuid, and a normal account', async () => {
    const inv = await added({ name: 'update-refusals' });
    refused(await act(admin, inv.uuid, { updatePreconfigurationTemplate: { content: '{{ REPO_URL }}' } }), 'SYS.1007', 'common params missing in template content');
    refused(await act(admin, inv.uuid, { updatePreconfigurationTemplate: { type: 'xml' } }), 'SYS.1007', /field\[type\]/);
    const missing = '0'.repeat(31) + '1';
    refused(await act(admin, missing, { updatePreconfigurationTemplate: { name: 'x' } }), 'SYS.1003',
      `invalid field[uuid], resource[uuid:${missing}, type:PreconfigurationTemplateVO] not found`);
    refused(await act(normal, inv.uuid, { updatePreconfigurationTemplate: { name: 'x' } }), 'ID.1002');
  });
});

describe('ChangePreconfigurationTemplateState', () => {
  it('disables and enables, with a TemplateStateChanged event; a bad stateEvent lists the valid values', async () => {
    const inv = await added({ name: 'stateful' });
    const off = await act(admin, inv.uuid, { changePreconfigurationTemplateState: { stateEvent: 'disable' } });
    expect(off.json.inventory.state).toBe('Disabled');
    expect((await normal.send('GET', `${BASE}?q=name=stateful`)).json.inventories[0].state).toBe('Disabled');
    const on = await act(admin, inv.uuid, { changePreconfigurationTemplateState: { stateEvent: 'enable' } });
    expect(on.json.inventory.state).toBe('Enabled');
    const bad = await act(admin, inv.uuid, { changePreconfigurationTemplateState: { stateEvent: 'pause' } });
    refused(bad, 'SYS.1007', /field\[stateEvent\]/);
    expect(bad.json.error.details).toContain('[enable, disable]');
    refused(await act(normal, inv.uuid, { changePreconfigurationTemplateState: { stateEvent: 'disable' } }), 'ID.1002');
    const types = (await events()).filter((e) => e.streamId === `preconfigtemplate-${inv.uuid}`).map((e) => e.type);
    expect(types).toEqual(['PreconfigurationTemplateAdded', 'TemplateStateChanged', 'TemplateStateChanged']);
  });
});

describe('DeletePreconfigurationTemplate', () => {
  it('deletes (admin only); a missing valid uuid succeeds', async () => {
    const inv = await added({ name: 'doomed' });
    refused(await normal.job('DELETE', `${BASE}/${inv.uuid}`), 'ID.1002');
    expect((await admin.job('DELETE', `${BASE}/${inv.uuid}?deleteMode=Permissive`)).json).toEqual({});
    expect((await admin.send('GET', `${BASE}/${inv.uuid}`)).json.inventories).toEqual([]);
    expect((await admin.job('DELETE', `${BASE}/${inv.uuid}`)).status).toBe(200);
    const types = (await events()).filter((e) => e.streamId === `preconfigtemplate-${inv.uuid}`).map((e) => e.type);
    expect(types).toEqual(['PreconfigurationTemplateAdded', 'PreconfigurationTemplateDeleted']);
  });
});

describe('QueryPreconfigurationTemplate', () => {
  it('answers every account, with the query language', async () => {
    const preseeds = await normal.send('GET', `${BASE}?q=type=preseed&fields=name,type`);
    expect(preseeds.json.inventories).toEqual([
      { name: 'ubuntu_16_x86_64_mini_v2', type: 'preseed' }, { name: 'ubuntu_18_x86_64_mini_v1', type: 'preseed' },
    ]);
    expect((await normal.send('GET', `${BASE}?q=distribution~=kylin%25&count=true`)).json).toMatchObject({ total: 2 });
    const r = await normal.send('GET', `${BASE}?q=name=nothing-like-this`);
    expect(r.json.inventories).toEqual([]);
    expect((await new ZStackClient(stack.baseUrl, 'e'.repeat(32)).send('GET', BASE)).status).toBe(503);
  });
});

describe('POST /api/v1/baremetal/preconfigurations/{uuid}/render', () => {
  const render = (uuid: string, body: unknown, auth: string | null = `Bearer ${admin.session}`) =>
    new ZStackClient(stack.baseUrl).send('POST', `/api/v1/baremetal/preconfigurations/${uuid}/render`, {
      ...(typeof body === 'string' ? { rawBody: body } : { body }), headers: auth === null ? {} : { Authorization: auth },
    });

  it('fills the values given and lists the params left without one', async () => {
    const inv = await added({ name: 'render-me', content: kickstart('network --hostname={{ hostname }}') });
    const r = await render(inv.uuid, { REPO_URL: 'http://10.0.0.1/repo', hostname: 'node-1', PASSWORD: '$6$salt$hash' });
    expect(r.status).toBe(200);
    expect(r.json.uuid).toBe(inv.uuid);
    expect(r.json.rendered).toContain('url --url=http://10.0.0.1/repo\n');
    expect(r.json.rendered).toContain('rootpw --iscrypted $6$salt$hash\n');
    expect(r.json.rendered).toContain('network --hostname=node-1');
    expect(r.json.missingParams).toEqual(['USERNAME', 'NETWORK_CFGS', 'FORCE_INSTALL', 'PRE_SCRIPTS', 'POST_SCRIPTS']);
    // A normal account's session, and OAuth, work too.
    expect((await render(inv.uuid, {}, `OAuth ${normal.session}`)).json.missingParams).toHaveLength(8);
  });

  it('answers JSON errors with HTTP statuses', async () => {
    const inv = await byName('ubuntu_18_x86_64_mini_v1');
    const unknown = await render(inv.uuid, { REPO_URLS: 'x' });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error).toMatchObject({ code: 'SYS.1007' });
    expect(unknown.json.error.details).toContain('params.REPO_URLS');
    expect((await render(inv.uuid, { REPO_URL: 42 })).json.error.details).toBe('params.REPO_URL must be a string');
    expect((await render(inv.uuid, '{"REPO_URL": ')).status).toBe(400);
    expect((await render(inv.uuid, '[1]')).status).toBe(400);
    const noAuth = await render(inv.uuid, {}, null);
    expect([noAuth.status, noAuth.json.error.code]).toEqual([401, 'ID.1001']);
    expect((await render(inv.uuid, {}, `Bearer ${'d'.repeat(32)}`)).status).toBe(401);
    const missing = await render('0'.repeat(32), {});
    expect([missing.status, missing.json.error.code]).toEqual([404, 'SYS.1003']);
    const wrongMethod = await new ZStackClient(stack.baseUrl).send('GET', `/api/v1/baremetal/preconfigurations/${inv.uuid}/render`,
      { headers: { Authorization: `Bearer ${admin.session}` } });
    expect(wrongMethod.status).toBe(405);
    expect((await new ZStackClient(stack.baseUrl).send('GET', '/api/v1/nothing')).json.error.code).toBe('SYS.1003');
  });
});

describe('the log across a restart', () => {
  it('rebuilds the same templates when baremetal-svc restarts, without adding the predefined ones again', async () => {
    const before = await admin.send('GET', `${BASE}?sort=name&fields=uuid,name,md5sum,state,lastOpDate`);
    await stack.stopBaremetal();
    await stack.startBaremetal();
    const after = await admin.send('GET', `${BASE}?sort=name&fields=uuid,name,md5sum,state,lastOpDate`);
    expect(after.json).toEqual(before.json);
    const predefinedAdds = (await events()).filter((e) => e.type === 'PreconfigurationTemplateAdded' && e.data.isPredefined === true);
    expect(predefinedAdds).toHaveLength(11);
  });
});
