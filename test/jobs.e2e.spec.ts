import { TestStack } from './support/stack';
import { newJobId, ZStackClient } from './support/zstack-client';

/**
 * The job protocol when commands do not finish within the fast path: FAST_PATH_MS=1 makes the
 * async APIs answer 202, a costly password hash keeps CreateAccount running long enough to be seen
 * running, and JOB_TTL_SEC=2 lets outcomes expire within the test.
 */
let stack: TestStack;
let admin: ZStackClient;

beforeAll(async () => {
  stack = await TestStack.start({ env: { FAST_PATH_MS: '1', JOB_TTL_SEC: '2', PASSWORD_SCRYPT_LOG2N: '16' } });
  admin = new ZStackClient(stack.baseUrl);
  await admin.login();
});

afterAll(async () => {
  await stack?.stop();
});

it('answers 202 with a location, polls 202 {} while running, then 200 with the result, then 404 once expired', async () => {
  const jobId = newJobId();
  const first = await admin.send('POST', '/zstack/v1/accounts', {
    body: { params: { name: 'slow', password: 'x' } }, headers: { 'X-Job-UUID': jobId },
  });
  expect(first.status).toBe(202);
  expect(first.json).toEqual({ location: `${stack.baseUrl}/zstack/v1/api-jobs/${jobId}`, apiTimeout: 60_000 });

  const running = await admin.send('GET', `/zstack/v1/api-jobs/${jobId}`);
  expect(running.status).toBe(202);
  expect(running.json).toEqual({});

  const done = await admin.poll(first.json.location);
  expect(done.status).toBe(200);
  expect(done.json.inventory.name).toBe('slow');
  expect(done.json.schema).toEqual({ inventory: 'org.zstack.header.identity.AccountInventory' });

  await new Promise((r) => setTimeout(r, 3000));
  const expired = await admin.send('GET', `/zstack/v1/api-jobs/${jobId}`);
  expect(expired.status).toBe(404);
  expect(expired.text).toBe('the job has been expired');
});

it('honours X-API-Timeout in the 202 reply', async () => {
  const r = await admin.send('POST', '/zstack/v1/accounts', {
    body: { params: { name: 'slow-2', password: 'x' } }, headers: { 'X-API-Timeout': '30' },
  });
  expect(r.status).toBe(202);
  expect(r.json.apiTimeout).toBe(30_000);
  expect((await admin.poll(r.json.location)).status).toBe(200);
});

it('serves a poll from any gateway replica: the outcome lives in NATS KV, not in the gateway', async () => {
  const first = await admin.send('POST', '/zstack/v1/accounts', { body: { params: { name: 'slow-3', password: 'x' } } });
  expect(first.status).toBe(202);
  const { startGateway } = await import('../apps/gateway/src/app');
  const { freePort } = await import('@cp/testing');
  const port = await freePort();
  const second = await startGateway({ ...stack.gatewayConfig, port });
  try {
    const other = new ZStackClient(`http://127.0.0.1:${port}`, admin.session);
    const polled = await other.poll(first.json.location.replace(stack.baseUrl, other.baseUrl));
    expect(polled.status).toBe(200);
    expect(polled.json.inventory.name).toBe('slow-3');
  } finally {
    await second.close();
  }
});
