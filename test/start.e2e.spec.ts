import { createHmac } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@cp/testing';
import { killProcessesOf, launchStack, processesOf, type LaunchedStack } from './support/launcher';
import { newJobId, ZStackClient } from './support/zstack-client';

/**
 * `npm start` as a user runs it: the embedded stack comes up, keeps its data, and Ctrl-C stops all of it;
 * a crashed app or nats-server is restarted. The second start of the first test stays up for the others.
 */
/** The launcher's stop bound per group (gateway, services, nats-server), shortened for the test. */
const STOP_TIMEOUT_MS = 4000;
let dataDir: string;
let port: number;
let stack: LaunchedStack | undefined;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'cp-start-'));
  port = await freePort();
});

afterAll(async () => {
  // A failed test can leave the stack up: kill whatever still runs on this data folder.
  killProcessesOf(dataDir);
  await stack?.exited;
  rmSync(dataDir, { recursive: true, force: true });
});

/** `npm start` on this test's data folder and port (both kept across its restarts), with its stop bound shortened. */
const launch = () => launchStack({ START_STOP_TIMEOUT_MS: String(STOP_TIMEOUT_MS) }, { dataDir, port });

/** Ctrl-C; resolves with how the launcher ended. */
async function interrupt(launched: LaunchedStack): Promise<number | string> {
  launched.proc.kill('SIGINT');
  return launched.exited;
}

/** The apps' pids, from their log lines (JSON when not on a terminal). */
const pidsOf = (text: string) => [...text.matchAll(/"pid":(\d+)/g)].map((m) => Number(m[1]));
const alive = (pid: number) => {
  try {
    return process.kill(pid, 0);
  } catch {
    return false;
  }
};
/** The launcher's record of its children: DATA_DIR/pids.json. */
const readPids = (): Record<string, number> => JSON.parse(readFileSync(join(dataDir, 'pids.json'), 'utf8'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}
const healthy = async () => (await fetch(`http://127.0.0.1:${port}/health`).catch(() => null))?.status === 200;

it('starts the set, keeps the data across a restart, and stops everything on Ctrl-C', async () => {
  const first = await launch();
  expect(first.output()).toContain(`ready: ZStack API at http://127.0.0.1:${port}/zstack/v1`);
  // Each service's metrics and probes on a port of its own, printed with the gateway's.
  const printed = /metrics: .*(http:\/\/127\.0\.0\.1:\d+)\/metrics \(identity-svc\)/;
  await waitFor('the metrics line', () => printed.test(first.output()), 5000);
  const metricsUrl = printed.exec(first.output())?.[1];
  expect(metricsUrl).toBeDefined();
  expect(first.output()).toContain(`metrics: http://127.0.0.1:${port}/metrics (gateway)`);
  expect((await fetch(`${metricsUrl}/health/ready`)).status).toBe(200);
  expect(await (await fetch(`${metricsUrl}/metrics`)).text()).toContain('cp_read_model_lag_positions{model="identity.accounts"}');
  const client = new ZStackClient(`http://127.0.0.1:${port}`);
  await client.login();
  const created = await client.job('POST', '/zstack/v1/accounts', { params: { name: 'survivor', password: 'x' } }, newJobId());
  expect(created.status).toBe(200);
  // The master key is created on the first start, private to its owner; an access key made now must verify after the restart.
  expect(statSync(join(dataDir, 'keys.json')).mode & 0o777).toBe(0o600);
  const key = await client.job('POST', '/zstack/v1/accesskeys', { params: { accountUuid: '36c27e8ff05c4780bf6d2fa65700f22e' } });
  expect(key.status).toBe(200);
  const signedQuery = () => {
    const date = new Date().toUTCString();
    const signature = createHmac('sha1', key.json.inventory.AccessKeySecret).update(`GET\n${date}\n/v1/accounts`).digest('base64');
    return new ZStackClient(`http://127.0.0.1:${port}`).send('GET', '/zstack/v1/accounts?q=name=survivor', {
      headers: { Date: date, Authorization: `ZStack ${key.json.inventory.AccessKeyID}:${signature}` },
    });
  };
  expect((await signedQuery()).status).toBe(200);
  expect(await interrupt(first)).toBe(0);
  expect(first.output()).toContain('[start] stopped');
  const appPids = [...new Set(pidsOf(first.output()))];
  expect(appPids.length).toBeGreaterThanOrEqual(2);
  expect(appPids.filter(alive)).toEqual([]);
  expect(existsSync(join(dataDir, 'start.pid'))).toBe(false);

  const second = await launch();
  stack = second;
  await client.login();
  const found = await client.send('GET', '/zstack/v1/accounts?q=name=survivor');
  expect(found.json.inventories).toHaveLength(1);
  expect(second.output()).not.toContain('created the built-in admin');
  expect(second.output()).not.toContain('created the master key');
  const signed = await signedQuery();
  expect(signed.status).toBe(200);
  expect(signed.json.inventories).toHaveLength(1);
});

it('restarts an app killed with kill -9 while the others keep running, and loses no acknowledged write', async () => {
  const client = new ZStackClient(`http://127.0.0.1:${port}`);
  await client.login();
  expect((await client.job('POST', '/zstack/v1/accounts', { params: { name: 'before-crash', password: 'x' } }, newJobId())).status).toBe(200);
  const before = readPids();
  process.kill(before['identity-svc'], 'SIGKILL');
  await waitFor('the restart line', () => stack!.output().includes('[start] identity-svc exited (SIGKILL); restarting in 0.5 s (restart 1)'), 5000);
  await waitFor('/health to be 200 again', healthy, 20_000);
  const after = readPids();
  expect(after['identity-svc']).not.toBe(before['identity-svc']);
  expect(alive(after['identity-svc'])).toBe(true);
  // The others were not touched.
  for (const name of ['nats-server', 'baremetal-svc', 'platform-svc', 'audit-svc', 'gateway']) expect(after[name]).toBe(before[name]);
  await client.login();
  const found = await client.send('GET', '/zstack/v1/accounts?q=name=before-crash');
  expect(found.json.inventories).toHaveLength(1);
});

it('restarts nats-server killed with kill -9 on the same port, and the apps reconnect', async () => {
  const natsUrl = readFileSync(join(dataDir, 'nats.url'), 'utf8');
  const before = readPids();
  process.kill(before['nats-server'], 'SIGKILL');
  await waitFor('the restart line', () => stack!.output().includes('[start] nats-server exited (SIGKILL); restarting in 0.5 s (restart 1)'), 5000);
  await waitFor('/health to be 200 again', healthy, 20_000);
  const after = readPids();
  expect(alive(after['nats-server'])).toBe(true);
  expect(after['nats-server']).not.toBe(before['nats-server']);
  expect(readFileSync(join(dataDir, 'nats.url'), 'utf8')).toBe(natsUrl);
  // The store survived and the bus works: the write before the crash reads back, and a new one goes through.
  const client = new ZStackClient(`http://127.0.0.1:${port}`);
  await client.login();
  expect((await client.job('POST', '/zstack/v1/accounts', { params: { name: 'after-nats-crash', password: 'x' } }, newJobId())).status).toBe(200);
  for (const name of ['before-crash', 'after-nats-crash']) {
    expect((await client.send('GET', `/zstack/v1/accounts?q=name=${name}`)).json.inventories).toHaveLength(1);
  }
});

it('stops everything within the bound on SIGTERM, even while an app is being restarted', async () => {
  const { proc, exited } = stack!;
  const before = readPids();
  process.kill(before['baremetal-svc'], 'SIGKILL');
  // SIGTERM lands once the launcher has seen the crash, while baremetal-svc waits for its restart (or boots again).
  await waitFor('the launcher to see the crash', () => stack!.output().includes('[start] baremetal-svc exited (SIGKILL)'), 5000);
  const started = Date.now();
  proc.kill('SIGTERM');
  // Three groups (gateway, services, nats-server), each SIGKILLed after STOP_TIMEOUT_MS at worst.
  const bound = 3 * STOP_TIMEOUT_MS + 3000;
  let timer: NodeJS.Timeout | undefined;
  const code = await Promise.race([exited, new Promise((r) => (timer = setTimeout(() => r('still running'), bound)))]);
  clearTimeout(timer);
  expect(code).toBe(0);
  expect(Date.now() - started).toBeLessThan(bound);
  // A restart that was pending must not fire later.
  await sleep(1000);
  expect(Object.values(before).filter(alive)).toEqual([]);
  expect(processesOf(dataDir)).toEqual([]);
  expect(existsSync(join(dataDir, 'start.pid'))).toBe(false);
  expect(existsSync(join(dataDir, 'pids.json'))).toBe(false);
});
