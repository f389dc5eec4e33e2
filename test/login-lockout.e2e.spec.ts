import { createHash } from 'node:crypto';
import { startService } from '@cp/bus';
import { JetStreamEventStore } from '@cp/event-store';
import { connectNats } from '@cp/bus';
import { IdentityModule } from '../apps/identity-svc/src/identity.module';
import { ADMIN_PASSWORD, TestStack } from './support/stack';
import { ZStackClient } from './support/zstack-client';

/**
 * Brute-force protection with a short policy: 3 failures lock a name for 1 s, doubling up to 4 s.
 * Two identity-svc replicas share the load, so the lock must live outside either of them.
 */
let stack: TestStack;
const LOCKED = 'the login is temporarily locked after repeated failures; try again later';
const sha512 = (t: string) => createHash('sha512').update(t).digest('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  stack = await TestStack.start({
    env: { LOGIN_MAX_FAILURES: '3', LOGIN_FAILURE_WINDOW_SEC: '60', LOGIN_LOCK_BASE_SEC: '1', LOGIN_LOCK_MAX_SEC: '4' },
  });
});

afterAll(async () => {
  await stack?.stop();
});

async function login(name: string, password: string) {
  const r = await new ZStackClient(stack.baseUrl).send('PUT', '/zstack/v1/accounts/login', { body: { logInByAccount: { accountName: name, password } } });
  return { status: r.status, error: r.json?.error as { code: string; details: string } | undefined };
}

it('locks a name after repeated failures, even against the right password, and unlocks after the wait', async () => {
  for (let i = 0; i < 3; i++) expect((await login('admin', sha512('guess' + i))).error?.details).toBe('wrong account name or password');
  expect(await login('admin', ADMIN_PASSWORD)).toEqual({ status: 503, error: expect.objectContaining({ code: 'ID.1000', details: LOCKED }) });
  await sleep(1200);
  expect((await login('admin', ADMIN_PASSWORD)).status).toBe(200);
});

it('answers the same for a name that does not exist', async () => {
  for (let i = 0; i < 3; i++) await login('no-such-user', sha512('guess' + i));
  const refused = await login('no-such-user', sha512('guess'));
  expect(refused.error).toEqual({ code: 'ID.1000', description: 'Unable to authenticate a user', details: LOCKED });
});

it('doubles the wait with each further failure', async () => {
  for (let i = 0; i < 3; i++) await login('doubler', 'x');
  await sleep(1100);
  expect((await login('doubler', 'x')).error?.details).toBe('wrong account name or password');
  await sleep(1100);
  expect((await login('doubler', 'x')).error?.details).toBe(LOCKED);
  await sleep(1100);
  expect((await login('doubler', 'x')).error?.details).toBe('wrong account name or password');
});

it('holds across identity-svc replicas', async () => {
  const replica = await startService({
    context: 'identity', name: 'identity-svc-2',
    module: IdentityModule.forRoot(stack.identityConfig), logger: false,
  });
  try {
    for (let i = 0; i < 3; i++) await login('admin', sha512('wrong' + i));
    const attempts = await Promise.all(Array.from({ length: 10 }, () => login('admin', ADMIN_PASSWORD)));
    expect(attempts.every((a) => a.error?.details === LOCKED)).toBe(true);
  } finally {
    await replica.close();
  }
});

it('records every attempt as an audit event, without the password', async () => {
  const nc = await connectNats(stack.nats.url, 'audit-scan');
  try {
    const events = await new JetStreamEventStore(nc, { context: 'identity' }).readAll(null, { filter: { categories: ['login'] }, limit: 10_000 });
    const outcomes = events.map((e) => `${e.type}:${String(e.data.outcome)}`);
    expect(outcomes).toEqual(expect.arrayContaining(['LoginFailed:failed', 'LoginFailed:refused', 'LoginSucceeded:succeeded']));
    const text = JSON.stringify(events.map((e) => ({ ...e, position: String(e.position), streamVersion: String(e.streamVersion) })));
    expect(text).not.toContain(ADMIN_PASSWORD);
    expect(text).not.toContain(sha512('guess0'));
    expect(events.find((e) => e.type === 'LoginSucceeded')?.data).toMatchObject({ loginType: 'account', name: 'admin', accountUuid: expect.any(String) });
  } finally {
    await nc.drain();
  }
});
