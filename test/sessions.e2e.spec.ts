import { ADMIN_PASSWORD, TestStack } from './support/stack';
import { ZStackClient } from './support/zstack-client';

/** Sessions expire after SESSION_TIMEOUT_SEC without a call; every authenticated call renews them. */
let stack: TestStack;

beforeAll(async () => {
  stack = await TestStack.start({ env: { SESSION_TIMEOUT_SEC: '3' } });
});

afterAll(async () => {
  await stack?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('keeps a session alive while it is used (sliding expiry) and ends it after the timeout of silence', async () => {
  const client = new ZStackClient(stack.baseUrl);
  await client.login();
  for (let i = 0; i < 4; i++) {
    await sleep(1500);
    const r = await client.send('GET', '/zstack/v1/accounts');
    expect(r.status).toBe(200);
  }
  await sleep(3500);
  const r = await client.send('GET', '/zstack/v1/accounts');
  expect(r.status).toBe(503);
  expect(r.json.error.code).toBe('ID.1001');
  expect((await client.send('GET', `/zstack/v1/accounts/sessions/${client.session}/valid`)).json).toEqual({ valid: false });
});

it('limits the sessions of one account (identity.session.maxConcurrent)', async () => {
  await stack.stopIdentity();
  await stack.startIdentity({ ...stack.identityConfig, sessionMaxConcurrent: 2 });
  const client = new ZStackClient(stack.baseUrl);
  const outcomes = [];
  for (let i = 0; i < 3; i++) {
    outcomes.push(await client.send('PUT', '/zstack/v1/accounts/login', {
      body: { logInByAccount: { accountName: 'admin', password: ADMIN_PASSWORD } },
    }));
  }
  expect(outcomes.slice(0, 2).every((o) => o.status === 200)).toBe(true);
  expect(outcomes[2].status).toBe(503);
  expect(outcomes[2].json.error.code).toBe('ID.1006');
});
