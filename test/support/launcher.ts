import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '@cp/testing';

const ROOT = resolve(__dirname, '../..');

/** `npm start` (scripts/start.ts) as a user runs it, in a data folder of its own: for tests that kill its processes. */
export interface LaunchedStack {
  proc: ChildProcess;
  dataDir: string;
  baseUrl: string;
  output(): string;
  /** The launcher's record of its children (DATA_DIR/pids.json): app name → pid, plus `launcher` and `nats-server`. */
  pids(): Record<string, number>;
  waitHealthy(timeoutMs: number): Promise<void>;
  /** Ctrl-C, then whatever still runs on the data folder is killed; the folder is removed. */
  stop(): Promise<void>;
}

export async function launchStack(env: Record<string, string> = {}): Promise<LaunchedStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cp-launch-'));
  const port = await freePort();
  const proc = spawn(process.execPath, ['-r', '@swc-node/register', 'scripts/start.ts'], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), NATS_URL: '', ENCRYPTION_KEY: '', ENCRYPTION_KEYS_FILE: '', PASSWORD_SCRYPT_LOG2N: '12', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  proc.stdout?.on('data', (c: Buffer) => (text += c.toString()));
  proc.stderr?.on('data', (c: Buffer) => (text += c.toString()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const stack: LaunchedStack = {
    proc, dataDir, baseUrl,
    output: () => text,
    pids: () => JSON.parse(readFileSync(join(dataDir, 'pids.json'), 'utf8')),
    async waitHealthy(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const status = await fetch(`${baseUrl}/health`).then((r) => r.status, () => 0);
        if (status === 200) return;
        if (Date.now() > deadline) throw new Error(`the stack did not become healthy within ${timeoutMs} ms:\n${text.slice(-4000)}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGINT');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 30_000))]);
      }
      for (const pid of processesOf(dataDir)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone meanwhile
        }
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  const deadline = Date.now() + 90_000;
  while (!text.includes('[start] ready:')) {
    if (proc.exitCode !== null || Date.now() > deadline) {
      await stack.stop();
      throw new Error(`npm start did not become ready:\n${text}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return stack;
}

/** Every process started for this data folder (all have DATA_DIR in their environment). */
export function processesOf(dir: string): number[] {
  if (!existsSync('/proc')) return [];
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(`DATA_DIR=${dir}`);
    } catch {
      return false;
    }
  });
}
