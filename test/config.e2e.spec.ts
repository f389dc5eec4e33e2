import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * A bad setting stops each app at start with exit 1 and exactly one line on stderr naming the
 * variable and its rule, never a stack trace; the command-line tools refuse unknown flags and bad
 * values (exit 2, one line and the usage) and print the usage for --help. Nothing here needs NATS:
 * every case ends before a connection.
 */

const ROOT = resolve(__dirname, '..');
const KEY = Buffer.alloc(32, 9).toString('base64');

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a TypeScript entry as `npm run` does, with only PATH and HOME from this environment plus `env`. */
function run(entry: string, args: string[], env: Record<string, string>): Promise<Exit> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', entry, ...args], {
      cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NATS_URL: 'nats://127.0.0.1:1', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

const main = (app: string) => `apps/${app}/src/main.ts`;

describe('a bad setting stops an app with one line', () => {
  it.each([
    ['gateway', { PORT: 'abc' }, 'PORT must be an integer from 0 to 65535, got "abc"'],
    ['gateway', { ZSTACK_TIME_ZONE: 'Mars/Base' }, 'ZSTACK_TIME_ZONE must be an IANA time zone (e.g. UTC, Europe/Berlin), got "Mars/Base"'],
    ['identity-svc', { EVENT_STORE: 'bogus', ENCRYPTION_KEY: KEY }, 'EVENT_STORE must be one of jetstream, esdb, got "bogus"'],
    ['baremetal-svc', { JOB_TTL_SEC: '0' }, 'JOB_TTL_SEC must be an integer from 1 to 2592000, got "0"'],
    ['platform-svc', { HEALTH_MONITOR: 'maybe', ENCRYPTION_KEY: KEY }, 'HEALTH_MONITOR must be one of true, false, 1, 0, on, off, got "maybe"'],
    ['audit-svc', { LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of debug, log, warn, error, got "loud"'],
  ])('%s with %j: exit 1, "<app> cannot start: <variable and rule>", no stack trace', async (app, env, line) => {
    const exit = await run(main(app), [], env);
    expect(exit.stderr).toBe(`${app} cannot start: ${line}\n`);
    expect(exit.stderr).not.toContain('    at ');
    expect(exit.code).toBe(1);
  });

  it('npm start (scripts/start.ts) with PORT=abc: exit 1, "[start] cannot start: <variable and rule>", nothing started', async () => {
    const exit = await run('scripts/start.ts', [], { PORT: 'abc', DATA_DIR: join(tmpdir(), 'config-e2e-never-created') });
    expect(exit.stderr).toBe('[start] cannot start: PORT must be an integer from 1 to 65535, got "abc"\n');
    expect(exit.code).toBe(1);
    expect(existsSync(join(tmpdir(), 'config-e2e-never-created'))).toBe(false);
  });

  it('never prints a secret: a bad ENCRYPTION_KEY or ESDB_CONNECTION_STRING is named, not shown', async () => {
    const [key, esdb] = await Promise.all([
      run(main('identity-svc'), [], { ENCRYPTION_KEY: 'c2VjcmV0LXZhbHVl' }),
      run(main('baremetal-svc'), [], { EVENT_STORE: 'esdb', ESDB_CONNECTION_STRING: 'http://admin:hunter2@eventstore:2113' }),
    ]);
    expect(key.code).toBe(1);
    expect(key.stderr).toMatch(/^identity-svc cannot start: ENCRYPTION_KEY must be base64 of 32 bytes[^\n]*\n$/);
    expect(key.stderr).not.toContain('c2VjcmV0LXZhbHVl');
    expect(esdb.code).toBe(1);
    expect(esdb.stderr).toBe('baremetal-svc cannot start: ESDB_CONNECTION_STRING must be a URL starting with esdb:// or esdb+discover://\n');
  });
});

describe('the command-line tools parse strictly', () => {
  it('replay: --context=x and unknown flags are refused (exit 2, one line and the usage); --help prints the usage (exit 0)', async () => {
    const [context, unknown, to, help] = await Promise.all([
      run('scripts/replay.ts', ['--context=x'], {}),
      run('scripts/replay.ts', ['--contxt', 'identity'], {}),
      run('scripts/replay.ts', ['--to', 'yesterday'], {}),
      run('scripts/replay.ts', ['--help'], {}),
    ]);
    const [usage] = help.stdout.split('\n');
    expect(usage).toBe('usage: npm run replay -- [--context identity|baremetal|platform] [--verify] [--to <position|time>] [--nats <url>]');
    expect(help.code).toBe(0);
    expect(help.stderr).toBe('');
    for (const [exit, line] of [
      [context, '[replay] --context must be one of identity, baremetal, platform, not "x"'],
      [unknown, "[replay] Unknown option '--contxt'"],
      [to, '[replay] --to must be a log position or an ISO-8601 time (e.g. 2026-01-15T08:00:00Z), not "yesterday"'],
    ] as const) {
      expect(exit.code).toBe(2);
      expect(exit.stdout).toBe('');
      expect(exit.stderr).toBe(`${line}\n${help.stdout}`);
    }
  });

  it('rotate-key: an unknown flag is refused before the key file is touched (exit 2); --help prints the usage (exit 0)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rotate-key-'));
    try {
      const keysFile = join(dir, 'keys.json');
      const [unknown, url, help] = await Promise.all([
        run('scripts/rotate-key.ts', ['--new-key'], { ENCRYPTION_KEYS_FILE: keysFile }),
        run('scripts/rotate-key.ts', ['--url', 'localhost:8080'], { ENCRYPTION_KEYS_FILE: keysFile }),
        run('scripts/rotate-key.ts', ['-h'], { ENCRYPTION_KEYS_FILE: keysFile }),
      ]);
      expect(help.code).toBe(0);
      expect(help.stdout.split('\n')[0]).toBe('usage: npm run rotate-key -- [--url <gateway>] [--user <admin name>] [--no-new-key]');
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toBe(`[rotate-key] Unknown option '--new-key'\n${help.stdout}`);
      expect(url.code).toBe(2);
      expect(url.stderr).toBe(`[rotate-key] --url must be the gateway's http:// or https:// URL, not "localhost:8080"\n${help.stdout}`);
      expect(existsSync(keysFile)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
