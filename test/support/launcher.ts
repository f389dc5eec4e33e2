import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Child, TEST_APP_ENV, freePort, freePortPair, signalProcess, waitHealthy } from '@cp/testing';

/** `npm start` (scripts/start.ts) as a user runs it, in a data folder of its own (or the caller's): for tests that kill its processes or restart it. */
export interface LaunchedStack {
  proc: ChildProcess;
  dataDir: string;
  baseUrl: string;
  output(): string;
  /** How the launcher ended: its exit code, or the signal that killed it. */
  exited: Promise<number | string>;
  /** The launcher's record of its children (DATA_DIR/pids.json): app name → pid, plus `launcher` and `nats-server`. */
  pids(): Record<string, number>;
  waitHealthy(timeoutMs: number): Promise<void>;
  /** Ctrl-C, then whatever still runs on the data folder is killed; the folder is removed unless it is the caller's. */
  stop(): Promise<void>;
}

export interface LaunchStackOptions {
  /** The data folder: the caller's, kept by stop() (a test that starts npm start again on the same data); by default a new one. */
  dataDir?: string;
  /** The gateway's port (default: a free one). */
  port?: number;
  /**
   * An out dir of `npm run build`: runs its compiled launcher (`<builtIn>/scripts/start.js`, plain node,
   * as `npm run start:prod` does), which runs the compiled apps, instead of scripts/start.ts.
   */
  builtIn?: string;
  /** `npm run start:cluster`: 3 nats-server nodes, 2 replicas of every service, gateways on `port` and `port + 1`. */
  cluster?: boolean;
}

/** Starts `npm start` with `env` on top of the tests' settings, and waits for its ready line. */
export async function launchStack(env: Record<string, string> = {}, options: LaunchStackOptions = {}): Promise<LaunchedStack> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'cp-launch-'));
  const port = options.port ?? (options.cluster ? await freePortPair() : await freePort());
  const launcher = Child.spawn(options.builtIn ? 'start:prod' : 'npm start', options.builtIn ? join(options.builtIn, 'scripts', 'start.js') : 'scripts/start.ts', {
    ...process.env, DATA_DIR: dataDir, PORT: String(port), NATS_URL: '', ENCRYPTION_KEY: '', ENCRYPTION_KEYS_FILE: '', ...TEST_APP_ENV, ...env,
  }, [], {
    args: options.cluster ? ['--cluster'] : [],
    // All of its output (the tests look for lines in it), and in this process's group: a Ctrl-C on jest stops it too.
    keepLines: Infinity, ownGroup: false,
  });
  const ready = launcher.waitForLine(/\[start\] ready:/, 90_000);
  const baseUrl = `http://127.0.0.1:${port}`;
  const stack: LaunchedStack = {
    proc: launcher.proc, dataDir, baseUrl,
    output: () => launcher.text(),
    exited: launcher.exited,
    pids: () => JSON.parse(readFileSync(join(dataDir, 'pids.json'), 'utf8')),
    waitHealthy: (timeoutMs) => waitHealthy(`${baseUrl}/health`, timeoutMs, { details: () => launcher.text().slice(-4000) }),
    async stop() {
      // The launcher stops its children in order; past 30 s it is killed, and what it left behind below.
      await launcher.stop(30_000, 'SIGINT');
      killProcessesOf(dataDir);
      if (options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  try {
    await ready;
  } catch (error) {
    await stack.stop();
    throw new Error(`npm start did not become ready: ${(error as Error).message}`);
  }
  return stack;
}

/** SIGKILLs every process started for this data folder: whatever a launcher left behind. */
export function killProcessesOf(dir: string): void {
  for (const pid of processesOf(dir)) signalProcess(pid, 'SIGKILL');
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
