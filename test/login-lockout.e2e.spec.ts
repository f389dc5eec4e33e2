import { createHash } from 'node:crypto';
import { startService } from '@cp/bus';
import { JetStreamEventStore } from '@cp/event-store';
import { connectNats } from '@cp/bus';
import { IdentityModule } from '../apps/identity-svc/src/identity.module';
import { ADMIN_PASSWORD, TestStack } from './support/stack';
import { ZStackClient } from './support/zstack-client';

/**
 * Brute-force protection with a short policy: 3 failures from one address lock a name there for 1 s,
 * doubling up to 4 s; 12 failures of a name from any addresses lock it everywhere for 1 s. Two
 * identity-svc replicas share the load, so the lock must live outside either of them. Every request
 * comes from 127.0.0.1; X-Forwarded-For names other addresses (TRUST_PROXY=loopback).
 */
let stack: TestStack;
const LOCKED = 'the login is temporarily locked after repeated failures; try again later';
const sha512 = (t: string) => createHash('sha512').update(t).digest('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  stack = await TestStack.start({
    env: {
      LOGIN_MAX_FAILURES: '3', LOGIN_FAILURE_WINDOW_SEC: '60', LOGIN_LOCK_BASE_SEC: '1', LOGIN_LOCK_MAX_SEC: '4',
      LOGIN_GLOBAL_MAX_FAILURES: '12', LOGIN_GLOBAL_LOCK_SEC: '1', TRUST_PROXY: 'loopback',
    },
  });
});

afterAll(async () => {
  await stack?.stop();
});

async function login(name: string, password: string, address?: string) {
  const r = await new ZStackClient(stack.baseUrl).send('PUT', '/zstack/v1/accounts/login', {
    body: { logInByAccount: { accountName: name, password } }, headers: address ? { 'X-Forwarded-For': address } : {},
  });
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

it('locks the attacking address only: the admin logs in from another address meanwhile', async () => {
  const attacker = '203.0.113.7';
  for (let i = 0; i < 3; i++) expect((await login('admin', sha512('attack' + i), attacker)).error?.details).toBe('wrong account name or password');
  expect((await login('admin', ADMIN_PASSWORD, attacker)).error?.details).toBe(LOCKED);
  expect((await login('admin', ADMIN_PASSWORD, '198.51.100.20')).status).toBe(200);
  // The admin's success elsewhere does not end the attacker's lock.
  expect((await login('admin', ADMIN_PASSWORD, attacker)).error?.details).toBe(LOCKED);
});

it('still locks a name everywhere, for a short fixed time, after many failures from many addresses', async () => {
  // (127.0.0.1 itself is still locked out of 'admin' by the tests above.)
  const r = await new ZStackClient(stack.baseUrl).send('PUT', '/zstack/v1/accounts/login', {
    body: { logInByAccount: { accountName: 'admin', password: ADMIN_PASSWORD } }, headers: { 'X-Forwarded-For': '198.51.100.31' },
  });
  const admin = new ZStackClient(stack.baseUrl, r.json.inventory.uuid as string);
  const created = await admin.job('POST', '/zstack/v1/accounts', { params: { name: 'victim', password: sha512('victim-pw') } });
  expect(created.status).toBe(200);
  // 4 addresses fail 3 times each: every one is locked at 3, the name everywhere at 12.
  for (let a = 0; a < 4; a++) {
    for (let i = 0; i < 3; i++) expect((await login('victim', sha512(`guess${a}.${i}`), `203.0.113.${20 + a}`)).error?.details).toBe('wrong account name or password');
  }
  expect((await login('victim', sha512('victim-pw'), '198.51.100.30')).error?.details).toBe(LOCKED);
  await sleep(1200);
  expect((await login('victim', sha512('victim-pw'), '198.51.100.30')).status).toBe(200);
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
    // With the address the gateway saw (here X-Forwarded-For from the loopback proxy).
    expect(events.find((e) => e.data.outcome === 'failed' && e.data.clientAddress === '203.0.113.7')?.data).toMatchObject({ name: 'admin' });
  } finally {
    await nc.drain();
  }
});
