import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectNats } from '@cp/bus';
import { JetStreamEventStore, type StoredEvent } from '@cp/event-store';
import { addActiveKey, createKeyFile, readKeyFile } from '@cp/crypto';
import { HealthMonitor } from '../apps/platform-svc/src/health/health-monitor';
import { MonitorLease } from '../apps/platform-svc/src/health/monitor-lease';
import { CredentialVault, DATA_KEYS_BUCKET } from '../apps/platform-svc/src/credentials/credential-vault';
import type { PlatformCredential } from '@cp/contracts';
import { TestStack } from './support/stack';
import { ZStackClient, type HttpResult } from './support/zstack-client';
import {
  closedPort, selfSignedCertificate, startFakeKeystone, startFakeVSphere, startFloodServer, startHangingServer, startHtmlServer,
  type FakeKeystone, type FakeVSphere, type Running,
} from './support/fake-clouds';
import { capturePrinted } from './support/printed';

/** The Platform API over real HTTP and NATS: our own gateway as a zstack platform, vSphere and Keystone doubles, hostile endpoints. */

const VSPHERE = { user: 'administrator@vsphere.local', password: 'vsphere-pw-1' };
const KEYSTONE = { user: 'cloud-admin', password: 'keystone-pw-1' };
const SEED_FIELDS = [
  'uuid', 'name', 'productType', 'hostIp', 'hostPort', 'accessKeyName', 'status', 'lastError', 'features', 'version', 'healthStatus',
  'lastSuccessAt', 'lastErrorAt', 'lastErrorDetail', 'successCount', 'errorCount', 'createDate', 'lastOpDate', 'scope', 'regionUuid',
];
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

let stack: TestStack;
let admin: ZStackClient;
let keysFile: string;
let vsphere: FakeVSphere;
let keystone: FakeKeystone;
const servers: Running[] = [];
/** Every secret this file hands out or receives, scanned for at the end. */
const secrets = new Set<string>([VSPHERE.password, KEYSTONE.password]);
const printed = capturePrinted();
const replies: string[] = [];

beforeAll(async () => {
  keysFile = join(mkdtempSync(join(tmpdir(), 'cp-keys-')), 'keys.json');
  createKeyFile(keysFile);
  stack = await TestStack.start({
    env: {
      ENCRYPTION_KEYS_FILE: keysFile, ENCRYPTION_KEY: '', HEALTH_PROBE_INTERVAL_SEC: '1', CONNECT_STEP_TIMEOUT_MS: '700',
      CONNECT_TIMEOUT_MS: '4000',
    },
  });
  admin = new ZStackClient(stack.baseUrl);
  await admin.login();
  vsphere = await startFakeVSphere(VSPHERE.user, VSPHERE.password);
  keystone = await startFakeKeystone(KEYSTONE.user, KEYSTONE.password);
});

afterAll(async () => {
  for (const s of [vsphere, keystone, ...servers]) await s?.close();
  await stack?.stop();
});

async function api(method: string, path: string, body?: unknown, session = admin.session): Promise<HttpResult> {
  const r = await new ZStackClient(stack.baseUrl).send(method, `/api/v1${path}`, {
    body, headers: session ? { Authorization: `Bearer ${session}` } : {},
  });
  replies.push(r.text);
  return r;
}

const gatewayPort = () => Number(new URL(stack.baseUrl).port);
const zstackPlatform = (name: string) => ({ name, productType: 'zstack', hostIp: '127.0.0.1', hostPort: gatewayPort(), username: 'admin', password: 'password' });
const vmwarePlatform = (name: string, port = vsphere.port, password = VSPHERE.password) =>
  ({ name, productType: 'vmware', hostIp: '127.0.0.1', hostPort: port, username: VSPHERE.user, password, useTls: false });
const openstackPlatform = (name: string) =>
  ({ name, productType: 'openstack', hostIp: '127.0.0.1', hostPort: keystone.port, username: KEYSTONE.user, password: KEYSTONE.password, useTls: false });

async function events(): Promise<StoredEvent[]> {
  const nc = await connectNats(stack.nats.url, 'platform-log');
  try {
    return await new JetStreamEventStore(nc, { context: 'platform' }).readAll(null, { limit: 100_000 });
  } finally {
    await nc.drain();
  }
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const errorOf = (r: HttpResult, status: number, code: string) => {
  expect(r.status).toBe(status);
  expect(r.json.error.code).toBe(code);
  return r.json.error.details as string;
};

describe('CreatePlatform', () => {
  it('negotiates an access key with our own gateway as a zstack platform, and returns every seed field', async () => {
    const r = await api('POST', '/platforms', zstackPlatform('self'));
    expect(r.status).toBe(200);
    expect(Object.keys(r.json)).toEqual(expect.arrayContaining(SEED_FIELDS));
    expect(r.json).toMatchObject({
      name: 'self', productType: 'zstack', hostIp: '127.0.0.1', hostPort: gatewayPort(), status: 'connected', healthStatus: 'healthy',
      lastError: null, lastErrorAt: null, lastErrorDetail: null, successCount: 1, errorCount: 0, scope: 'global', regionUuid: '',
      features: { syncResource: true, monitoring: true, logCollection: false },
    });
    expect(r.json.uuid).toMatch(/^[0-9a-f]{32}$/);
    expect(r.json.createDate).toMatch(ISO);
    expect(r.json.features.credential.usernameEnc).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(r.json.features.credential.passwordEnc).toMatch(/^[A-Za-z0-9+/]+=*$/);
    // The access key it negotiated exists on the remote (our gateway), under the admin account.
    const keys = await admin.send('GET', `/zstack/v1/accesskeys?q=AccessKeyID=${r.json.accessKeyName}`);
    expect(keys.json.inventories).toHaveLength(1);
    expect(keys.json.inventories[0].description).toBe('control plane federation');
  });

  it('negotiates with vSphere (session) and Keystone (application credential)', async () => {
    const v = await api('POST', '/platforms', vmwarePlatform('vc1'));
    expect(v.json).toMatchObject({ status: 'connected', healthStatus: 'healthy', accessKeyName: VSPHERE.user });
    expect(vsphere.sessions.size).toBe(0);
    const o = await api('POST', '/platforms', openstackPlatform('os1'));
    expect(o.json).toMatchObject({ status: 'connected', healthStatus: 'healthy', version: 'v3.14' });
    expect(o.json.accessKeyName).toMatch(/^control-plane-/);
    for (const c of keystone.credentials.values()) secrets.add(c.secret);
  });

  it('records a platform whose negotiation fails, with the reason', async () => {
    const r = await api('POST', '/platforms', vmwarePlatform('vc-bad-password', vsphere.port, 'wrong-pw-1'));
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ status: 'disconnected', healthStatus: 'unhealthy', errorCount: 1, successCount: 0, accessKeyName: null });
    expect(r.json.lastError).toContain('negotiation failed');
    expect(r.json.lastErrorDetail).toContain('refused');
    expect(r.json.lastErrorAt).toMatch(ISO);
    secrets.add('wrong-pw-1');
  });

  it('refuses bad input with 400 naming the field, a duplicate name with 409, a denied target before connecting', async () => {
    expect(errorOf(await api('POST', '/platforms', { ...zstackPlatform('x'), productType: 'aws' }), 400, 'SYS.1007')).toContain('[zstack, vmware, openstack]');
    expect(errorOf(await api('POST', '/platforms', { ...zstackPlatform('x'), hostPort: 70000 }), 400, 'SYS.1007')).toContain('field[hostPort]');
    expect(errorOf(await api('POST', '/platforms', { ...zstackPlatform('x'), hostIp: 'bad host' }), 400, 'SYS.1007')).toContain('field[hostIp]');
    expect(errorOf(await api('POST', '/platforms', { ...zstackPlatform('x'), username: undefined }), 400, 'SYS.1007')).toContain('field[username]');
    expect(errorOf(await api('POST', '/platforms', { ...zstackPlatform('x'), passwd: 'x' }), 400, 'SYS.1007')).toContain('unknown field[passwd]');
    expect(errorOf(await api('POST', '/platforms', { ...zstackPlatform('x'), scope: 'region' }), 400, 'SYS.1007')).toContain('field[regionUuid]');
    expect(errorOf(await api('POST', '/platforms', zstackPlatform('self')), 409, 'SYS.1006')).toContain('already exists');
    expect(errorOf(await api('POST', '/platforms', { ...zstackPlatform('meta'), hostIp: '169.254.169.254', hostPort: 80 }), 400, 'SYS.1007')).toContain('deny list');
    expect((await api('POST', '/platforms', '{"name":')).status).toBe(400);
  });
});

describe('who may call', () => {
  it('is the admin only: 401 without a session, 403 for a normal account', async () => {
    const password = createHash('sha512').update('plain-pw').digest('hex');
    expect((await admin.job('POST', '/zstack/v1/accounts', { params: { name: 'plain', password } })).status).toBe(200);
    const plain = new ZStackClient(stack.baseUrl);
    await plain.login('plain', password);
    errorOf(await api('GET', '/platforms', undefined, ''), 401, 'ID.1001');
    errorOf(await api('GET', '/platforms', undefined, 'f'.repeat(32)), 401, 'ID.1001');
    errorOf(await api('GET', '/platforms', undefined, plain.session), 403, 'ID.1002');
    errorOf(await api('POST', '/platforms', vmwarePlatform('sneaky'), plain.session), 403, 'ID.1002');
    errorOf(await api('POST', '/platforms/test-connection', { productType: 'vmware', endpoint: '127.0.0.1:1', accessKey: 'a', secretKey: 'b' }, plain.session), 403, 'ID.1002');
  });
});

describe('reading and changing platforms', () => {
  it('lists with filters, limit and offset; gets one; 404 for a missing one', async () => {
    const all = await api('GET', '/platforms');
    expect(all.json.total).toBe(4);
    const vmware = await api('GET', '/platforms?productType=vmware&status=connected');
    expect(vmware.json.platforms.map((p: { name: string }) => p.name)).toEqual(['vc1']);
    const page = await api('GET', '/platforms?limit=2&offset=1');
    expect(page.json.platforms).toHaveLength(2);
    expect(page.json.total).toBe(4);
    expect(page.json.platforms[0].uuid).toBe(all.json.platforms[1].uuid);
    errorOf(await api('GET', '/platforms?limit=5000'), 400, 'SYS.1007');
    errorOf(await api('GET', '/platforms?color=red'), 400, 'SYS.1007');
    const one = await api('GET', `/platforms/${all.json.platforms[0].uuid}`);
    expect(one.json).toEqual(all.json.platforms[0]);
    errorOf(await api('GET', `/platforms/${'0'.repeat(32)}`), 404, 'SYS.1003');
  });

  it('PATCHes fields, and a new credential negotiates again', async () => {
    const bad = (await api('GET', '/platforms?name=vc-bad-password')).json.platforms[0];
    const renamed = await api('PATCH', `/platforms/${bad.uuid}`, { name: 'vc2', features: { logCollection: true } });
    expect(renamed.json).toMatchObject({ name: 'vc2', features: { syncResource: true, monitoring: true, logCollection: true }, status: 'disconnected' });
    const fixed = await api('PATCH', `/platforms/${bad.uuid}`, { username: VSPHERE.user, password: VSPHERE.password });
    expect(fixed.json).toMatchObject({ status: 'connected', healthStatus: 'healthy', accessKeyName: VSPHERE.user, successCount: 1, errorCount: 1 });
    errorOf(await api('PATCH', `/platforms/${bad.uuid}`, { password: 'only-one' }), 400, 'SYS.1007');
    errorOf(await api('PATCH', `/platforms/${bad.uuid}`, { productType: 'zstack' }), 400, 'SYS.1007');
    errorOf(await api('PATCH', `/platforms/${bad.uuid}`, { name: 'vc1' }), 409, 'SYS.1006');
    const types = (await events()).filter((e) => e.streamId === `platform-${bad.uuid}`).map((e) => e.type);
    expect(types).toEqual(['PlatformCreated', 'PlatformUpdated', 'PlatformCredentialRotated', 'PlatformStatusChanged', 'PlatformHealthChanged']);
  });
});

describe('TestConnectionDetailed', () => {
  const test = (body: Record<string, unknown>) => api('POST', '/platforms/test-connection', body);
  const names = (r: HttpResult) => r.json.items.map((i: { name: string; status: string }) => `${i.name}:${i.status}`);
  let accessKey: { id: string; secret: string };

  beforeAll(async () => {
    const r = await admin.job('POST', '/zstack/v1/accesskeys', { params: { accountUuid: '36c27e8ff05c4780bf6d2fa65700f22e', description: 'test' } });
    accessKey = { id: r.json.inventory.AccessKeyID, secret: r.json.inventory.AccessKeySecret };
    secrets.add(accessKey.secret);
  });

  it('passes every step against our own gateway with a valid access key (http: no tls step)', async () => {
    const r = await test({ productType: 'zstack', endpoint: `127.0.0.1:${gatewayPort()}`, accessKey: accessKey.id, secretKey: accessKey.secret });
    expect(r.status).toBe(200);
    expect(r.json.success).toBe(true);
    expect(names(r)).toEqual(['dns_lookup:success', 'tcp_connect:success', 'api_reachable:success', 'authenticate:success', 'permission_check:success']);
    for (const item of r.json.items) expect(item.latencyMs).toMatch(/^\d+$/);
    expect(r.json.recommendation).toContain('All checks passed');
  });

  it('fails at authenticate with a wrong secret, skips the rest, and says to check the key', async () => {
    const r = await test({ productType: 'zstack', endpoint: `http://localhost:${gatewayPort()}`, accessKey: accessKey.id, secretKey: 'wrong-secret-123' });
    expect(r.json.success).toBe(false);
    expect(names(r).slice(3)).toEqual(['authenticate:failure', 'permission_check:skipped']);
    expect(r.json.items[4].latencyMs).toBe('0');
    expect(r.json.recommendation).toContain('access key');
  });

  it('checks vSphere and Keystone credentials, and a missing permission', async () => {
    const v = await test({ productType: 'vmware', endpoint: `http://127.0.0.1:${vsphere.port}`, accessKey: VSPHERE.user, secretKey: VSPHERE.password });
    expect(v.json.success).toBe(true);
    vsphere.denyDatacenters = true;
    const denied = await test({ productType: 'vmware', endpoint: `http://127.0.0.1:${vsphere.port}`, accessKey: VSPHERE.user, secretKey: VSPHERE.password });
    vsphere.denyDatacenters = false;
    expect(names(denied).at(-1)).toBe('permission_check:failure');
    expect(denied.json.recommendation).toContain('permission');
    const [id, cred] = [...keystone.credentials.entries()][0];
    const o = await test({ productType: 'openstack', endpoint: `http://127.0.0.1:${keystone.port}`, accessKey: id, secretKey: cred.secret });
    expect(o.json.success).toBe(true);
    const bad = await test({ productType: 'openstack', endpoint: `http://127.0.0.1:${keystone.port}`, accessKey: id, secretKey: 'nope-nope' });
    expect(names(bad).slice(-2)).toEqual(['authenticate:failure', 'permission_check:skipped']);
  });

  it('answers success:false with the failing step for unresolvable, refusing, hanging, HTML and flooding endpoints, within bounds', async () => {
    const dns = await test({ productType: 'vmware', endpoint: 'nosuchhost.invalid:443', accessKey: 'a', secretKey: 'secret-x' });
    expect(names(dns)[0]).toBe('dns_lookup:failure');
    expect(dns.json.recommendation).toContain('nosuchhost.invalid');
    const refused = await test({ productType: 'zstack', endpoint: `127.0.0.1:${await closedPort()}`, accessKey: 'a', secretKey: 'secret-x' });
    expect(names(refused).slice(0, 2)).toEqual(['dns_lookup:success', 'tcp_connect:failure']);
    expect(refused.json.items[1].errorMsg).toBe('connection refused');
    expect(refused.json.recommendation).toContain('firewall');
    const hanging = await startHangingServer();
    const html = await startHtmlServer(true);
    const flood = await startFloodServer();
    servers.push(hanging, html, flood);
    const started = Date.now();
    const hung = await test({ productType: 'zstack', endpoint: `127.0.0.1:${hanging.port}`, accessKey: 'a', secretKey: 'secret-x' });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(names(hung).slice(1, 3)).toEqual(['tcp_connect:success', 'api_reachable:failure']);
    expect(hung.json.items[2].errorMsg).toContain('timed out after 700 ms');
    const page = await test({ productType: 'vmware', endpoint: `http://127.0.0.1:${html.port}`, accessKey: 'user-x', secretKey: 'secret-html-1' });
    expect(names(page)[2]).toBe('api_reachable:failure');
    expect(page.json.items[2].errorMsg).toContain('not a vSphere API');
    expect(page.json.items[2].errorMsg.length).toBeLessThan(200);
    const flooded = await test({ productType: 'openstack', endpoint: `http://127.0.0.1:${flood.port}`, accessKey: 'a', secretKey: 'secret-x' });
    expect(names(flooded)[2]).toBe('api_reachable:failure');
    expect(flooded.json.items[2].errorMsg).toContain('larger than');
    const tls = await test({ productType: 'vmware', endpoint: `127.0.0.1:${html.port}`, accessKey: 'a', secretKey: 'secret-x' });
    expect(names(tls).slice(1, 3)).toEqual(['tcp_connect:success', 'tls_handshake:failure']);
    expect(tls.json.recommendation).toContain('certificate');
  });

  it('verifies the certificate of an https endpoint unless the caller opts out', async () => {
    const tls = await startFakeVSphere(VSPHERE.user, VSPHERE.password, 0, selfSignedCertificate());
    servers.push(tls);
    const trusting = await test({ productType: 'vmware', endpoint: `localhost:${tls.port}`, accessKey: VSPHERE.user, secretKey: VSPHERE.password, verifyTls: false });
    expect(names(trusting)).toEqual(['dns_lookup:success', 'tcp_connect:success', 'tls_handshake:success', 'api_reachable:success', 'authenticate:success', 'permission_check:success']);
    const verifying = await test({ productType: 'vmware', endpoint: `localhost:${tls.port}`, accessKey: VSPHERE.user, secretKey: VSPHERE.password });
    expect(names(verifying).slice(2, 4)).toEqual(['tls_handshake:failure', 'api_reachable:skipped']);
    expect(verifying.json.items[2].errorMsg).toContain('TLS');
    expect(verifying.json.recommendation).toContain('certificate');
  });

  it('refuses a denied target with 400 before connecting, and bad bodies with 400', async () => {
    expect(errorOf(await test({ productType: 'zstack', endpoint: '169.254.169.254:80', accessKey: 'a', secretKey: 'b' }), 400, 'SYS.1007')).toContain('deny list');
    expect(errorOf(await test({ productType: 'aws', endpoint: '127.0.0.1:80', accessKey: 'a', secretKey: 'b' }), 400, 'SYS.1007')).toContain('productType');
    expect(errorOf(await test({ productType: 'zstack', endpoint: 'ftp://x', accessKey: 'a', secretKey: 'b' }), 400, 'SYS.1007')).toContain('endpoint');
    expect(errorOf(await test({ productType: 'zstack', endpoint: '127.0.0.1:80', accessKey: 'a' }), 400, 'SYS.1007')).toContain('secretKey');
  });

  it('runs for a stored platform with its stored credential, recorded as an event', async () => {
    const self = (await api('GET', '/platforms?name=self')).json.platforms[0];
    const r = await api('POST', `/platforms/${self.uuid}/test-connection`);
    expect(r.json.success).toBe(true);
    expect(r.json.platform.successCount).toBeGreaterThanOrEqual(2);
    const types = (await events()).filter((e) => e.streamId === `platform-${self.uuid}`).map((e) => e.type);
    expect(types).toContain('PlatformConnectionTested');
  });
});

describe('the health monitor', () => {
  it('marks a platform whose host stops answering unhealthy within two probe intervals, healthy again when it returns', async () => {
    const fake = await startFakeVSphere(VSPHERE.user, VSPHERE.password);
    const created = await api('POST', '/platforms', vmwarePlatform('flaky', fake.port));
    expect(created.json.healthStatus).toBe('healthy');
    const uuid = created.json.uuid as string;
    await fake.close();
    const stoppedAt = Date.now();
    await until('unhealthy', 8000, async () => ((await api('GET', `/platforms/${uuid}`)).json.healthStatus === 'unhealthy' ? true : undefined));
    // Two 1 s intervals, plus the probes' own bounded time.
    expect(Date.now() - stoppedAt).toBeLessThan(2 * 1000 + 2 * 4000);
    const revived = await startFakeVSphereOn(fake.port);
    servers.push(revived);
    await until('healthy again', 15_000, async () => ((await api('GET', `/platforms/${uuid}`)).json.healthStatus === 'healthy' ? true : undefined));
    const history = await api('GET', `/platforms/${uuid}/health-history`);
    const health = history.json.history.filter((h: { healthStatus?: string }) => h.healthStatus).map((h: { healthStatus: string }) => h.healthStatus);
    expect(health[0]).toBe('healthy');
    expect(health).toContain('unhealthy');
    expect(health.at(-1)).toBe('healthy');
    for (const h of history.json.history) expect(h.position).toMatch(/^\d+$/);
    // An unchanged outcome is counted, not logged.
    const countOf = async () => {
      const view = (await api('GET', `/platforms/${uuid}`)).json;
      return { probes: view.successCount + view.errorCount, logged: (await events()).filter((e) => e.streamId === `platform-${uuid}`).length };
    };
    const before = await countOf();
    await new Promise((r) => setTimeout(r, 2500));
    const after = await countOf();
    expect(after.probes).toBeGreaterThanOrEqual(before.probes + 2);
    expect(after.logged).toBe(before.logged);
  });

  it('runs in exactly one replica; another takes over when it stops', async () => {
    const second = await stack.startPlatformReplica();
    try {
      const leases = [stack.platformApp().get(MonitorLease), second.get(MonitorLease)];
      await until('a leader', 5000, async () => (leases.filter((l) => l.held).length === 1 ? true : undefined));
      await new Promise((r) => setTimeout(r, 1500));
      expect(leases.filter((l) => l.held)).toHaveLength(1);
      expect(second.get(HealthMonitor).stats.ticks).toBeGreaterThan(0);
      const leaderIsFirst = leases[0].held;
      if (leaderIsFirst) {
        await stack.stopPlatform();
        await until('take-over', 6000, async () => (leases[1].held ? true : undefined));
        await stack.startPlatform();
      } else {
        await second.close();
        await until('take-over', 6000, async () => (leases[0].held ? true : undefined));
      }
    } finally {
      await second.close().catch(() => undefined);
    }
  });
});

describe('keys', () => {
  it('rotates the master key: every credential is re-encrypted under it, through events, and still works', async () => {
    const before = readKeyFile(keysFile).activeKeyId;
    const newKey = addActiveKey(keysFile);
    expect(newKey).not.toBe(before);
    const r = await api('POST', '/platforms/rotate-keys');
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ activeKeyId: newKey });
    expect(r.json.rotated).toBeGreaterThanOrEqual(4);
    const rotated = (await events()).filter((e) => e.type === 'PlatformCredentialRotated' && e.data.reason === 'key-rotation');
    expect(rotated.length).toBe(r.json.rotated);
    const self = (await api('GET', '/platforms?name=self')).json.platforms[0];
    expect((await api('POST', `/platforms/${self.uuid}/test-connection`)).json.success).toBe(true);
    expect((await api('POST', '/platforms/rotate-keys')).json.rotated).toBe(0);
  });

  it('DELETE destroys the data key, so the ciphertext in the old events can never be read again; a second delete is 404', async () => {
    const os = (await api('GET', '/platforms?name=os1')).json.platforms[0];
    const vault = stack.platformApp().get(CredentialVault);
    const sealed = (await events()).filter((e) => e.streamId === `platform-${os.uuid}` && e.data.credential)
      .map((e) => e.data.credential as PlatformCredential);
    expect(sealed.length).toBeGreaterThanOrEqual(2);
    expect((await vault.open(os.uuid, sealed.at(-1)!)).username).toBe(KEYSTONE.user);
    expect((await api('DELETE', `/platforms/${os.uuid}`)).json).toEqual({});
    errorOf(await api('DELETE', `/platforms/${os.uuid}`), 404, 'SYS.1003');
    errorOf(await api('GET', `/platforms/${os.uuid}`), 404, 'SYS.1003');
    const nc = await connectNats(stack.nats.url, 'data-keys');
    try {
      const kv = await nc.jetstream().views.kv(DATA_KEYS_BUCKET);
      const entry = await kv.get(os.uuid);
      expect(entry === null || entry.operation !== 'PUT').toBe(true);
    } finally {
      await nc.drain();
    }
    for (const credential of sealed) await expect(vault.open(os.uuid, credential)).rejects.toThrow(/data key of platform .* is gone/);
  });

  it('never lets a secret out: not in events, logs or replies', async () => {
    const log = JSON.stringify((await events()).map(({ position, streamVersion, ...e }) => e));
    const text = printed.join('');
    for (const secret of secrets) {
      expect(log).not.toContain(secret);
      expect(text).not.toContain(secret);
      expect(replies.join('\n')).not.toContain(secret);
    }
  });
});

async function startFakeVSphereOn(port: number): Promise<Running> {
  for (let attempt = 0; ; attempt++) {
    const fake = await startFakeVSphere(VSPHERE.user, VSPHERE.password, port).catch((e) => (attempt < 20 ? null : Promise.reject(e)));
    if (fake) return fake;
    await new Promise((r) => setTimeout(r, 100));
  }
}
