import { createHash } from 'node:crypto';
import type { INestMicroservice } from '@nestjs/common';
import { SERVICE_PROBES, startService, type ServiceProbesApi } from '@cp/bus';
import { ControlPlaneClient } from '@cp/client';
import { FreezableProxy } from '../libs/testing/src/tcp-proxy';
import { BaremetalModule } from '../apps/baremetal-svc/src/baremetal.module';
import { TestStack } from './support/stack';
import { ZStackClient } from './support/zstack-client';

/**
 * Metrics and probes over real HTTP: one stack (the services with METRICS_PORT=0, each on a port of
 * its own), a few real calls, then the gateway's /metrics and identity-svc's METRICS_PORT scraped;
 * /health/live and /health/ready on both, and a replica whose NATS link hangs turning not ready.
 * The apps share one process here, hence one registry: each assertion reads the metric its app owns.
 */
let stack: TestStack;
const sha512 = (t: string) => createHash('sha512').update(t).digest('hex');

beforeAll(async () => {
  stack = await TestStack.start({ env: { METRICS_PORT: '0', LOGIN_MAX_FAILURES: '2', LOGIN_LOCK_BASE_SEC: '60' } });
});

afterAll(async () => {
  await stack?.stop();
});

const probesOf = (app: INestMicroservice) => app.get<symbol, ServiceProbesApi>(SERVICE_PROBES, { strict: false });

async function get(url: string): Promise<{ status: number; text: string; type: string }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  return { status: res.status, text: await res.text(), type: res.headers.get('content-type') ?? '' };
}

/** The value of the series `name{labels}` in Prometheus text (labels matched as given, others ignored); undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return undefined;
}

it('counts real calls: HTTP by API and status in the gateway, bus requests, commands, appends, jobs, logins and read models in identity-svc', async () => {
  const client = new ZStackClient(stack.baseUrl);
  const wrong = { logInByAccount: { accountName: 'mallory', password: sha512('guess') } };
  for (let i = 0; i < 3; i++) expect((await client.send('PUT', '/zstack/v1/accounts/login', { body: wrong })).status).toBe(503);
  await client.login();
  const created = await client.job('POST', '/zstack/v1/accounts', { params: { name: 'metrics-alice', password: sha512('s3cret') } });
  expect(created.status).toBe(200);
  const queried = await client.send('GET', '/zstack/v1/accounts?q=name=metrics-alice');
  expect(queried.json.inventories).toHaveLength(1);

  const gateway = await get(`${stack.baseUrl}/metrics`);
  expect(gateway.status).toBe(200);
  expect(gateway.type).toMatch(/^text\/plain; version=0\.0\.4/);
  const g = gateway.text;
  expect(sample(g, 'cp_http_requests_total', { api: 'LogInByAccount', status: '503' })).toBe(3);
  expect(sample(g, 'cp_http_requests_total', { api: 'LogInByAccount', status: '200' })).toBe(1);
  // 200 on the fast path; 202 (then the poll) on a machine slow enough to miss it.
  expect((sample(g, 'cp_http_requests_total', { api: 'CreateAccount', status: '200' }) ?? 0) + (sample(g, 'cp_http_requests_total', { api: 'CreateAccount', status: '202' }) ?? 0)).toBe(1);
  expect(sample(g, 'cp_http_requests_total', { api: 'QueryAccount', status: '200' })).toBe(1);
  expect(sample(g, 'cp_http_request_duration_seconds_count', { api: 'QueryAccount', status_class: '2xx' })).toBe(1);
  expect(sample(g, 'cp_http_request_duration_seconds_bucket', { api: 'QueryAccount', status_class: '2xx', le: '+Inf' })).toBe(1);
  expect(sample(g, 'cp_nats_connections', { name: 'gateway', state: 'connected' })).toBeGreaterThanOrEqual(1);
  expect(sample(g, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);

  const port = probesOf(stack.identityApp()).port;
  expect(port).toEqual(expect.any(Number));
  const identity = await get(`http://127.0.0.1:${port}/metrics`);
  expect(identity.status).toBe(200);
  const s = identity.text;
  expect(sample(s, 'cp_bus_requests_total', { subject: 'identity.query.LogInByAccount', outcome: 'ID.1000' })).toBe(3);
  // At least once: the gateway sends a command again while no service has claimed its job.
  expect(sample(s, 'cp_bus_requests_total', { subject: 'identity.cmd.CreateAccount', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
  expect(sample(s, 'cp_bus_request_duration_seconds_count', { subject: 'identity.query.QueryAccount', outcome: 'ok' })).toBe(1);
  expect(sample(s, 'cp_commands_total', { context: 'identity', outcome: 'done', code: 'none' })).toBe(1);
  // Two failures lock the name; the third attempt is refused as locked.
  expect(sample(s, 'cp_login_failures_total', { kind: 'account', reason: 'wrong_credentials' })).toBe(2);
  expect(sample(s, 'cp_login_failures_total', { kind: 'account', reason: 'locked' })).toBe(1);
  expect(sample(s, 'cp_login_lockouts_total', { kind: 'account' })).toBe(1);
  expect(sample(s, 'cp_event_store_operation_duration_seconds_count', { context: 'identity', op: 'append', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
  expect(sample(s, 'cp_job_store_operations_total', { op: 'create', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
  expect(sample(s, 'cp_job_store_operations_total', { op: 'put', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
  expect(sample(s, 'cp_nats_connections', { name: 'identity-svc', state: 'connected' })).toBe(2);
  for (const model of ['identity.accounts', 'identity.iam2-virtual-ids', 'identity.access-keys']) {
    expect({ model, lag: sample(s, 'cp_read_model_lag_positions', { model }) }).toEqual({ model, lag: 0 });
    expect({ model, caughtUp: sample(s, 'cp_read_model_caught_up', { model }) }).toEqual({ model, caughtUp: 1 });
  }
  expect(sample(s, 'cp_event_log_head_position', { context: 'identity' })).toBeGreaterThan(0);
  expect(sample(s, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
});

it('shows a live rebuild of the read models (RebuildReadModels) in the rebuild gauges', async () => {
  const session = await new ZStackClient(stack.baseUrl).login();
  const client = await ControlPlaneClient.connect(stack.nats.url);
  try {
    await client.request('identity.cmd.RebuildReadModels', {}, { session, timeoutMs: 30_000 });
  } finally {
    await client.close();
  }
  const s = (await get(`http://127.0.0.1:${probesOf(stack.identityApp()).port}/metrics`)).text;
  for (const model of ['identity.accounts', 'identity.iam2-virtual-ids', 'identity.access-keys']) {
    expect({ model, done: sample(s, 'cp_read_model_rebuilds_total', { model, outcome: 'done' }) }).toEqual({ model, done: 1 });
    expect({ model, progress: sample(s, 'cp_read_model_rebuild_progress_ratio', { model }) }).toEqual({ model, progress: 1 });
  }
  // The accounts model replayed at least the admin and the account made above.
  expect(sample(s, 'cp_read_model_rebuild_events', { model: 'identity.accounts' })).toBeGreaterThanOrEqual(2);
});

it('answers /health/live and /health/ready on the gateway and on each service\'s METRICS_PORT', async () => {
  expect(await get(`${stack.baseUrl}/health/live`)).toMatchObject({ status: 200 });
  const ready = await get(`${stack.baseUrl}/health/ready`);
  expect({ status: ready.status, body: JSON.parse(ready.text) }).toEqual({ status: 200, body: { status: 'ready', checks: { nats: 'ok' }, reasons: [] } });
  for (const app of [stack.identityApp(), stack.platformApp()]) {
    const base = `http://127.0.0.1:${probesOf(app).port}`;
    expect(await get(`${base}/health/live`)).toMatchObject({ status: 200 });
    const r = await get(`${base}/health/ready`);
    expect({ status: r.status, body: JSON.parse(r.text) }).toEqual({
      status: 200, body: { status: 'ready', checks: { nats: 'ok', bus: 'ok', eventStore: 'ok', readModels: 'ok' }, reasons: [] },
    });
  }
  // The existing aggregate stays as it was.
  expect((await get(`${stack.baseUrl}/health`)).status).toBe(200);
});

it('turns a service not ready (503 with the reason) while its NATS link hangs, and ready again after; counts a dropped link\'s disconnect and reconnect', async () => {
  const proxy = await FreezableProxy.start(Number(new URL(stack.nats.url).port));
  let replica: INestMicroservice | undefined;
  try {
    replica = await startService({
      context: 'baremetal', name: 'baremetal-svc', logger: false,
      module: BaremetalModule.forRoot({ ...stack.baremetalConfig, natsUrl: proxy.url, metricsPort: 0 }),
    });
    const url = `http://127.0.0.1:${probesOf(replica).port}/health/ready`;
    expect((await get(url)).status).toBe(200);
    proxy.freeze();
    const frozen = await get(url);
    expect(frozen.status).toBe(503);
    expect(JSON.parse(frozen.text)).toMatchObject({ status: 'not ready', checks: { nats: 'its NATS connection is unresponsive' } });
    proxy.thaw();
    expect((await get(url)).status).toBe(200);

    // A dropped link: counted as a disconnect and a reconnect of each of the replica's two connections.
    const events = async (event: string) => sample((await get(`${url.replace('/health/ready', '')}/metrics`)).text, 'cp_nats_connection_events_total', { name: 'baremetal-svc', event }) ?? 0;
    const [disconnects, reconnects] = [await events('disconnect'), await events('reconnect')];
    proxy.dropConnections();
    const deadline = Date.now() + 10_000;
    while ((await events('reconnect')) < reconnects + 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await events('reconnect')).toBe(reconnects + 2);
    expect(await events('disconnect')).toBe(disconnects + 2);
    expect((await get(url)).status).toBe(200);
  } finally {
    proxy.thaw();
    await replica?.close();
    await proxy.close();
  }
});
