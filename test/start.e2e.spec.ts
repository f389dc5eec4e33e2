import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '@cp/testing';
import { newJobId, ZStackClient } from './support/zstack-client';

/** `npm start` as a user runs it: the embedded stack comes up, keeps its data, and Ctrl-C stops all of it. */
const ROOT = resolve(__dirname, '..');
let dataDir: string;
let port: number;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'cp-start-'));
  port = await freePort();
});

afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

async function launch(): Promise<{ proc: ChildProcess; output: () => string }> {
  const proc = spawn(process.execPath, ['-r', '@swc-node/register', 'scripts/start.ts'], {
    cwd: ROOT, env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), NATS_URL: '', ENCRYPTION_KEY: '', ENCRYPTION_KEYS_FILE: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  proc.stdout?.on('data', (c: Buffer) => (text += c.toString()));
  proc.stderr?.on('data', (c: Buffer) => (text += c.toString()));
  const deadline = Date.now() + 60_000;
  while (!text.includes('[start] ready:')) {
    if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`npm start did not become ready:\n${text}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { proc, output: () => text };
}

async function interrupt(proc: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  proc.kill('SIGINT');
  return exited;
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

it('starts the set, keeps the data across a restart, and stops everything on Ctrl-C', async () => {
  const first = await launch();
  expect(first.output()).toContain(`ready: ZStack API at http://127.0.0.1:${port}/zstack/v1`);
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
  expect(await interrupt(first.proc)).toBe(0);
  expect(first.output()).toContain('[start] stopped');
  const appPids = [...new Set(pidsOf(first.output()))];
  expect(appPids.length).toBeGreaterThanOrEqual(2);
  expect(appPids.filter(alive)).toEqual([]);
  expect(existsSync(join(dataDir, 'start.pid'))).toBe(false);

  const second = await launch();
  try {
    await client.login();
    const found = await client.send('GET', '/zstack/v1/accounts?q=name=survivor');
    expect(found.json.inventories).toHaveLength(1);
    expect(second.output()).not.toContain('created the built-in admin');
    expect(second.output()).not.toContain('created the master key');
    const signed = await signedQuery();
    expect(signed.status).toBe(200);
    expect(signed.json.inventories).toHaveLength(1);
  } finally {
    expect(await interrupt(second.proc)).toBe(0);
  }
});
