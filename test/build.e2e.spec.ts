import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '@cp/testing';
import { killProcessesOf, launchStack, type LaunchedStack } from './support/launcher';
import { ZStackClient } from './support/zstack-client';

/**
 * `npm run build`, then the build run as `npm run start:prod` runs it: plain node, no TypeScript
 * tooling, the launcher and every app from the out dir. The build goes to a temp out dir (not the
 * user's dist/), with a node_modules symlink to the repository's so that its requires resolve.
 */
const sha512 = (text: string) => createHash('sha512').update(text).digest('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let outDir: string;
let stack: LaunchedStack | undefined;

beforeAll(() => {
  outDir = mkdtempSync(join(tmpdir(), 'cp-build-'));
});

afterAll(async () => {
  if (stack) {
    killProcessesOf(stack.dataDir);
    rmSync(stack.dataDir, { recursive: true, force: true });
  }
  rmSync(outDir, { recursive: true, force: true });
});

describe('npm run build', () => {
  it('type-checks, then compiles every app, lib and script to the out dir, mirroring the sources, with the templates', async () => {
    const { stdout } = await promisify(execFile)('npm', ['run', 'build', '--', '--out-dir', outDir], { cwd: REPO_ROOT, timeout: 120_000 });
    expect(stdout).toMatch(/type-checking/);
    for (const app of ['gateway', 'identity-svc', 'baremetal-svc', 'platform-svc', 'audit-svc']) {
      expect(existsSync(join(outDir, 'apps', app, 'src', 'main.js'))).toBe(true);
    }
    expect(existsSync(join(outDir, 'scripts', 'start.js'))).toBe(true);
    expect(existsSync(join(outDir, 'libs', 'bus', 'src', 'index.js'))).toBe(true);
    // No spec files, no alias left for a run-time resolver, and the decorator metadata Nest's DI reads.
    const all = (dir: string): string[] => readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => join(dir, f));
    const files = all(outDir);
    expect(files.filter((f) => /\.spec\.js$/.test(f))).toEqual([]);
    const js = files.filter((f) => f.endsWith('.js'));
    expect(js.filter((f) => /require\("@cp\//.test(readFileSync(f, 'utf8')))).toEqual([]);
    expect(readFileSync(join(outDir, 'apps', 'identity-svc', 'src', 'identity.module.js'), 'utf8')).toMatch(/require\("\.\.\/\.\.\/\.\.\/libs\//);
    expect(js.some((f) => readFileSync(f, 'utf8').includes('design:paramtypes'))).toBe(true);
    const templates = readdirSync(join(REPO_ROOT, 'apps', 'baremetal-svc', 'templates'));
    expect(readdirSync(join(outDir, 'apps', 'baremetal-svc', 'templates')).sort()).toEqual(templates.sort());
    // The operator console, bundled by vite (docs/console.md): hashed files under assets/.
    expect(existsSync(join(outDir, 'console', 'index.html'))).toBe(true);
    expect(readdirSync(join(outDir, 'console', 'assets')).some((f) => /^index-[\w-]+\.js$/.test(f))).toBe(true);
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(outDir, 'node_modules'), 'dir');
  }, 130_000);

  it('runs as npm run start:prod: plain node from the out dir, healthy, an account created and queried, SIGTERM exits 0', async () => {
    expect(existsSync(join(outDir, 'scripts', 'start.js'))).toBe(true);
    stack = await launchStack({ START_STOP_TIMEOUT_MS: '4000' }, { builtIn: outDir });
    await stack.waitHealthy(20_000);
    // The gateway, compiled, serves the build's console/ by default.
    const page = await fetch(`${stack.baseUrl}/console/platforms`);
    expect([page.status, page.headers.get('cache-control')]).toEqual([200, 'no-cache']);
    const health = (await (await fetch(`${stack.baseUrl}/health`)).json()) as { services: { baremetal: { templates: number } } };
    // baremetal-svc found its templates next to its compiled code.
    expect(health.services.baremetal.templates).toBe(readdirSync(join(REPO_ROOT, 'apps', 'baremetal-svc', 'templates')).length);

    // Every process is plain node on the out dir's files: no TypeScript loader.
    const pids = stack.pids();
    for (const name of ['launcher', 'identity-svc', 'baremetal-svc', 'platform-svc', 'audit-svc', 'gateway']) {
      const cmdline = readFileSync(`/proc/${pids[name]}/cmdline`, 'utf8').split('\0');
      expect(cmdline.join(' ')).not.toMatch(/swc|\.ts\b/);
      expect(cmdline.some((arg) => arg.startsWith(outDir) && arg.endsWith('.js'))).toBe(true);
    }

    const admin = new ZStackClient(stack.baseUrl);
    await admin.login();
    const created = await admin.job('POST', '/zstack/v1/accounts', { params: { name: 'built', password: sha512('built-pw') } });
    expect(created.status).toBe(200);
    let found: unknown[] = [];
    for (let i = 0; i < 40 && found.length === 0; i++) {
      const q = await admin.send('GET', '/zstack/v1/accounts?q=name=built');
      expect(q.status).toBe(200);
      found = q.json.inventories;
      if (found.length === 0) await sleep(100);
    }
    expect(found).toEqual([expect.objectContaining({ uuid: created.json.inventory.uuid, name: 'built' })]);
    const bob = new ZStackClient(stack.baseUrl);
    await bob.login('built', sha512('built-pw'));

    stack.proc.kill('SIGTERM');
    expect(await stack.exited).toBe(0);
    expect(stack.output()).toMatch(/\[start\] stopped/);
  }, 60_000);
});
