import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Child, stopProcess } from './children';
import { launchApps, waitHealthy, type Watched } from './launch';
import { SERVICES, STACK_APPS, appEnv, stackApp, stopInOrder } from './stack-apps';

describe('the app table', () => {
  it('starts the services, then the gateway, each from apps/<name>/src/main.ts', () => {
    expect(STACK_APPS.map((a) => a.name)).toEqual([...SERVICES, 'gateway']);
    for (const app of STACK_APPS) expect(app.entry).toBe(`apps/${app.name}/src/main.ts`);
    expect(STACK_APPS.map((a) => a.context)).toEqual(['identity', 'baremetal', 'platform', 'audit', null]);
  });

  it('gives the master key to identity-svc and platform-svc only', () => {
    expect(STACK_APPS.filter((a) => a.masterKey).map((a) => a.name)).toEqual(['identity-svc', 'platform-svc']);
    const key = { ENCRYPTION_KEYS_FILE: '/data/keys.json' };
    expect(appEnv(stackApp('platform-svc'), { PORT: '1' }, key)).toEqual({ PORT: '1', ...key });
    expect(appEnv(stackApp('gateway'), { PORT: '1' }, key)).toEqual({ PORT: '1' });
  });

  it('stops the gateway first, then the services together', async () => {
    const events: string[] = [];
    const children = new Map(STACK_APPS.map((a) => [a.name, a.name] as const));
    await stopInOrder(children, async (name) => {
      events.push(`stop ${name}`);
      await new Promise((r) => setTimeout(r, name === 'gateway' ? 20 : 5));
      events.push(`gone ${name}`);
    });
    expect(events.slice(0, 2)).toEqual(['stop gateway', 'gone gateway']);
    expect(events.slice(2, 2 + SERVICES.length)).toEqual(SERVICES.map((s) => `stop ${s}`));
  });
});

describe('waitHealthy / launchApps', () => {
  let server: Server;
  let url: string;
  let status = 503;
  beforeAll(async () => {
    server = createServer((_, res) => res.writeHead(status).end('{}'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/health`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  beforeEach(() => {
    status = 503;
  });

  const watched = (name: string, alive = true): Watched => ({ name, alive, output: () => `    ${name}| last words` });

  it('starts every app in order, then waits for a 200', async () => {
    const order: string[] = [];
    setTimeout(() => (status = 200), 300);
    const started = await launchApps((app) => {
      order.push(app.name);
      return watched(app.name);
    }, { healthUrl: url, timeoutMs: 5000, watch: (c) => c });
    expect(order).toEqual(STACK_APPS.map((a) => a.name));
    expect([...started.keys()]).toEqual(order);
  });

  it('fails fast, with its output, when a watched child exits', async () => {
    const started = Date.now();
    await expect(waitHealthy(url, 10_000, { children: [watched('gateway'), watched('audit-svc', false)] }))
      .rejects.toThrow('audit-svc exited before the stack was healthy:\n    audit-svc| last words');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('says what it last heard when the time is up', async () => {
    await expect(waitHealthy(url, 600, { details: () => 'launcher said this' }))
      .rejects.toThrow(/^the stack did not become healthy within 0.6 s \(last: 503 \{\}\):\nlauncher said this$/);
  });

  it('stops waiting, quietly, once cancelled, and starts nothing more', async () => {
    let cancelled = false;
    const order: string[] = [];
    const started = await launchApps((app) => {
      order.push(app.name);
      cancelled = app.name === 'baremetal-svc';
      return app.name;
    }, { healthUrl: url, timeoutMs: 10_000, cancelled: () => cancelled });
    expect(order).toEqual(['identity-svc', 'baremetal-svc']);
    expect(started.size).toBe(2);
  });
});

describe('Child', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cp-child-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const script = (name: string, code: string) => {
    const path = join(dir, name);
    writeFileSync(path, code);
    return path;
  };

  it('sees whole lines even when a write ends mid-line, and keeps the last ones', async () => {
    const entry = script('lines.js', `
      process.stdout.write('first li'); setTimeout(() => { process.stdout.write('ne\\nsecond\\n'); console.error('on stderr'); setInterval(() => {}, 1000); }, 100);`);
    const child = Child.spawn('lines', entry, process.env, [], { keepLines: 2 });
    try {
      await child.waitForLine(/^first line$/, 10_000);
      await new Promise((r) => setTimeout(r, 200));
      expect(child.text().split('\n').sort()).toEqual(['on stderr', 'second']);
      expect(child.output()).toContain('    lines| second');
      expect(child.alive).toBe(true);
    } finally {
      await child.stop(2000);
    }
    expect(child.alive).toBe(false);
    expect(await child.exited).toBe('SIGTERM');
  });

  it('waitForLine fails with the output when the child exits first', async () => {
    const child = Child.spawn('quitter', script('quit.js', `console.log('bye'); process.exit(3)`), process.env);
    await expect(child.waitForLine(/ready/, 10_000)).rejects.toThrow('quitter exited (3):\n    quitter| bye');
  });

  it('gives its process as a Running (pid and how it ended) to what supervises it', async () => {
    const quitter = Child.spawn('quitter', script('quit4.js', `process.exit(4)`), process.env);
    expect(quitter.running.pid).toBe(quitter.pid);
    expect(await quitter.running.exited).toEqual({ code: 4, signal: null });
    expect(await quitter.exited).toBe(4);
    const sleeper = Child.spawn('sleeper', script('sleep.js', `console.log('up'); setInterval(() => {}, 1000)`), process.env);
    await sleeper.waitForLine(/^up$/, 10_000);
    await stopProcess(sleeper.running, 2000);
    expect(await sleeper.running.exited).toEqual({ code: null, signal: 'SIGTERM' });
    expect(sleeper.alive).toBe(false);
  });

  it('SIGKILLs a child that ignores the stop signal after the grace period', async () => {
    const child = Child.spawn('stubborn', script('stubborn.js', `process.on('SIGINT', () => {}); console.log('armed'); setInterval(() => {}, 1000)`), process.env);
    await child.waitForLine(/^armed$/, 10_000);
    await child.stop(200, 'SIGINT');
    expect(await child.exited).toBe('SIGKILL');
  });
});
