import { execFileSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchStack, type LaunchedStack } from '../support/launcher';
import { ZStackClient, newJobId, type HttpResult } from '../support/zstack-client';
import { COMMON_PARAMS_FOR_TESTS } from '../support/audit-fixtures';
import { sumOf, metricsOf } from './cluster-support';

/**
 * `npm run start:cluster` (3 nats-server nodes with every stream and bucket at 3 replicas, 2
 * replicas of every service, 2 gateways), and what must hold across replicas (issue 16, part 2):
 * names unique, read-your-writes across gateways, sessions ended everywhere at once, one health
 * prober, a command id applied once whichever replica gets its retry. Every request is spread over
 * both gateways, so over both replicas of each service (queue groups).
 */
const sha512 = (s: string) => createHash('sha512').update(s).digest('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let stack: LaunchedStack;
let gateways: string[];
let admin: ZStackClient;

beforeAll(async () => {
  // A data folder of the test's own: stop() keeps it (the backup test archives it).
  stack = await launchStack({ HEALTH_PROBE_INTERVAL_SEC: '1' }, { cluster: true, dataDir: mkdtempSync(join(tmpdir(), 'cp-cluster-')) });
  gateways = [stack.baseUrl, stack.baseUrl.replace(/:(\d+)$/, (_, p: string) => `:${Number(p) + 1}`)];
  admin = new ZStackClient(gateways[0]);
  await admin.login();
}, 180_000);

afterAll(async () => {
  await stack?.stop();
  if (stack) rmSync(stack.dataDir, { recursive: true, force: true });
}, 120_000);

/** The admin's session, through gateway `i`. */
const via = (i: number, session = admin.session) => new ZStackClient(gateways[i % gateways.length], session);

/** Exactly one success; every other attempt refused with the duplicate's error. */
function expectOneWinner(results: HttpResult[], duplicate: RegExp): void {
  const won = results.filter((r) => r.status === 200);
  const refused = results.filter((r) => r.status !== 200);
  expect({ won: won.length, refused: refused.length }).toEqual({ won: 1, refused: results.length - 1 });
  for (const r of refused) expect(`${r.status} ${r.json?.error?.details ?? r.text}`).toMatch(duplicate);
}

describe('names are unique across replicas', () => {
  it('50 concurrent CreateAccount of one name over both gateways: exactly one account', async () => {
    const name = `dup-${randomUUID().slice(0, 8)}`;
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) =>
      via(i).job('POST', '/zstack/v1/accounts', { params: { name, password: sha512('pw') } })));
    expectOneWinner(results, /already called/);
    const found = await via(1).send('GET', `/zstack/v1/accounts?q=name=${name}`);
    expect(found.json.inventories).toHaveLength(1);
  });

  it('50 concurrent CreateIAM2VirtualID of one name: exactly one virtual ID', async () => {
    const name = `vid-${randomUUID().slice(0, 8)}`;
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) =>
      via(i).job('POST', '/zstack/v1/iam2/virtual-ids', { params: { name, password: sha512('pw') } })));
    expectOneWinner(results, /already|duplicate/i);
  });

  it('20 concurrent CreatePlatform of one name: exactly one platform', async () => {
    const name = `pf-${randomUUID().slice(0, 8)}`;
    const port = Number(new URL(gateways[0]).port);
    const body = { name, productType: 'zstack', hostIp: '127.0.0.1', hostPort: port, username: 'admin', password: 'password' };
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      via(i).send('POST', '/api/v1/platforms', { body, headers: { Authorization: `Bearer ${admin.session}` } })));
    const created = results.filter((r) => r.status === 200 || r.status === 201);
    expect(created).toHaveLength(1);
    for (const r of results.filter((x) => !created.includes(x))) expect(`${r.status} ${r.json?.error?.details}`).toMatch(/already exists/);
  });

  it('templates, whose names ZStack lets repeat: 50 concurrent creates with one resourceUuid make exactly one', async () => {
    const resourceUuid = randomUUID().replace(/-/g, '');
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => via(i).job('POST', '/zstack/v1/baremetal/preconfigurations', {
      params: { name: 'same', distribution: 'd', type: 'kickstart', content: COMMON_PARAMS_FOR_TESTS, resourceUuid },
    })));
    expectOneWinner(results, /already exists/);
  });
});

describe('read-your-writes across gateways', () => {
  it('a write through one gateway is seen at once by a query through the other, with the same session', async () => {
    for (let i = 0; i < 30; i++) {
      const name = `ryw-${i}-${randomUUID().slice(0, 6)}`;
      const created = await via(i).job('POST', '/zstack/v1/accounts', { params: { name, password: sha512('pw') } });
      expect(created.status).toBe(200);
      const seen = await via(i + 1).send('GET', `/zstack/v1/accounts?q=name=${name}`);
      expect(seen.json.inventories.map((a: { name: string }) => a.name)).toEqual([name]);
    }
  });
});

describe('sessions', () => {
  it('a session logged out through one gateway is refused by every replica at once', async () => {
    const user = new ZStackClient(gateways[0]);
    await user.login('admin', sha512('password'));
    expect((await via(1, user.session).send('GET', '/zstack/v1/accounts')).status).toBe(200);
    expect((await via(0, user.session).send('DELETE', `/zstack/v1/accounts/sessions/${user.session}`)).status).toBe(200);
    const after = await Promise.all(Array.from({ length: 20 }, (_, i) => via(i, user.session).send('GET', '/zstack/v1/accounts')));
    // ZStack answers a refused session with 503 and ID.1001 (docs/zstack-wire: errors of sync APIs).
    expect(after.map((r) => `${r.status} ${r.json?.error?.code}`)).toEqual(Array(20).fill('503 ID.1001'));
  });
});

describe('the health monitor', () => {
  it('has exactly one prober across the platform-svc replicas', async () => {
    const pids = stack.pids();
    const ports = ['platform-svc', 'platform-svc-2'].map((name) => metricsPortOf(name));
    expect(pids['platform-svc-2']).toBeGreaterThan(0);
    const before = await Promise.all(ports.map((p) => metricsOf(p).then((m) => sumOf(m, 'cp_platform_probes_total'))));
    await sleep(4000);
    const after = await Promise.all(ports.map((p) => metricsOf(p).then((m) => sumOf(m, 'cp_platform_probes_total'))));
    const grew = after.map((a, i) => a - before[i]);
    // One platform exists (created above) and is probed every second: by one replica only.
    expect(grew.filter((g) => g > 0)).toHaveLength(1);
  });
});

describe('a command id', () => {
  it('is applied once whichever replica receives its retry', async () => {
    const created = await via(0).job('POST', '/zstack/v1/accounts', { params: { name: `once-${randomUUID().slice(0, 6)}`, password: sha512('pw') } });
    const uuid = created.json.inventory.uuid as string;
    const jobId = newJobId();
    const tries = await Promise.all(Array.from({ length: 10 }, (_, i) => via(i).send('PUT', `/zstack/v1/accounts/${uuid}`, {
      body: { updateAccount: { description: 'once' } }, headers: { 'X-Job-UUID': jobId },
    })));
    for (const r of tries) expect([200, 202]).toContain(r.status);
    await sleep(500);
    const events = await via(1).send('GET', `/api/v1/audit/events?resourceUuid=${uuid}&eventType=AccountUpdated`, {
      headers: { Authorization: `Bearer ${admin.session}` },
    });
    expect(events.json.events.filter((e: { commandId: string }) => e.commandId === jobId)).toHaveLength(1);
  });
});

describe('backup and restore (docs/production.md)', () => {
  it('a cold backup of DATA_DIR restores the log, the KV buckets and the keys: accounts, platforms and their credentials', async () => {
    const name = `kept-${randomUUID().slice(0, 6)}`;
    const account = await via(0).job('POST', '/zstack/v1/accounts', { params: { name, password: sha512('kept-pw') } });
    expect(account.status).toBe(200);
    const bearer = { Authorization: `Bearer ${admin.session}` };
    const platform = (await via(0).send('GET', '/api/v1/platforms', { headers: bearer })).json.platforms[0] as { uuid: string };
    expect(platform?.uuid).toMatch(/^[0-9a-f]{32}$/);

    // The documented commands: stop (Ctrl-C), archive the data folder, restore it elsewhere, start there.
    const dataDir = stack.dataDir;
    await stack.stop();
    const archive = join(tmpdir(), `cp-backup-${randomUUID()}.tgz`);
    const restored = mkdtempSync(join(tmpdir(), 'cp-restored-'));
    execFileSync('tar', ['-C', dataDir, '-czf', archive, '.']);
    rmSync(dataDir, { recursive: true, force: true });
    execFileSync('tar', ['-C', restored, '-xzf', archive]);
    stack = await launchStack({ HEALTH_PROBE_INTERVAL_SEC: '1' }, { cluster: true, dataDir: restored });
    gateways = [stack.baseUrl, stack.baseUrl.replace(/:(\d+)$/, (_, p: string) => `:${Number(p) + 1}`)];

    const user = new ZStackClient(gateways[1]);
    await user.login(name, sha512('kept-pw'));
    admin = new ZStackClient(gateways[0]);
    await admin.login();
    expect((await via(1).send('GET', `/zstack/v1/accounts?q=name=${name}`)).json.inventories).toHaveLength(1);
    // The platform's credential opens again: its data key (KV) and the master key (keys.json) came back.
    const tested = await via(0).send('POST', `/api/v1/platforms/${platform.uuid}/test-connection`, { headers: { Authorization: `Bearer ${admin.session}` } });
    expect(tested.status).toBe(200);
    rmSync(archive, { force: true });
  }, 240_000);
});

/** A service replica's METRICS_PORT, from the launcher's ready line. */
function metricsPortOf(name: string): number {
  const m = new RegExp(`http://127\\.0\\.0\\.1:(\\d+)/metrics \\(${name}\\)`).exec(stack.output());
  if (!m) throw new Error(`no metrics URL for ${name} in the launcher's output`);
  return Number(m[1]);
}
