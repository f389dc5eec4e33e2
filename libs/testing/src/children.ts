import { spawn, type ChildProcess, type SpawnOptions, type StdioOptions } from 'node:child_process';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Whether this code runs compiled (`npm run build`'s output, run by plain node: `npm run start:prod`)
 * rather than from the TypeScript sources (through `@swc-node/register`, or jest's transform).
 */
export const RUNNING_COMPILED = __filename.endsWith('.js');
/** The root of the tree this code runs from: the repository, or the build's out dir (dist/) when compiled. */
export const BUILD_ROOT = resolve(__dirname, '../../..');
/**
 * The repository root: the apps' TypeScript entry paths (STACK_APPS) are relative to it, and children
 * run there. When compiled, the out dir's parent (dist/ is in the repository).
 */
export const REPO_ROOT = RUNNING_COMPILED ? resolve(BUILD_ROOT, '..') : BUILD_ROOT;

/** How a process ended: its exit code, or the signal that killed it. */
export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A started process: its pid, and a promise that settles when it exits (never rejects). */
export interface Running {
  pid: number;
  exited: Promise<Exit>;
}

export interface RunningProcess extends Running {
  proc: ChildProcess;
}

export const describeExit = (exit: Exit): string => exit.signal ?? `code ${exit.code}`;

/**
 * Spawns a process. Exit is tracked with a promise rather than `child.exitCode`, which stays null
 * for a child killed by a signal (the launcher used to wait forever on such a child).
 */
export function spawnProcess(command: string, args: string[], options: SpawnOptions): RunningProcess {
  const proc = spawn(command, args, options);
  // No pid: the spawn failed (it reports that as an 'error' event, with no 'exit').
  if (proc.pid === undefined) {
    proc.once('error', () => undefined);
    throw new Error(`cannot start ${command}`);
  }
  const exited = new Promise<Exit>((resolveExit) => proc.once('exit', (code, signal) => resolveExit({ code, signal })));
  return { pid: proc.pid, exited, proc };
}

export interface NodeSpawnOptions {
  env: NodeJS.ProcessEnv;
  stdio: StdioOptions;
  /** Node options before the entry (`--expose-gc`). */
  nodeArgs?: string[];
  /** The entry's own arguments (`--cluster`). */
  args?: string[];
  /**
   * Own process group (the default): a Ctrl-C in the terminal reaches only the parent, which stops
   * its children in order. `false` leaves the child in the parent's group, so that it gets the Ctrl-C too.
   */
  ownGroup?: boolean;
}

/**
 * An entry run by node from the repository root: a TypeScript one (an app's `apps/<name>/src/main.ts`,
 * a script) through `node -r @swc-node/register`, a compiled one (`dist/apps/<name>/src/main.js`) by plain node.
 */
export function spawnNode(entry: string, options: NodeSpawnOptions): RunningProcess {
  const loader = entry.endsWith('.js') ? [] : ['-r', '@swc-node/register'];
  return spawnProcess(process.execPath, [...(options.nodeArgs ?? []), ...loader, entry, ...(options.args ?? [])], {
    cwd: REPO_ROOT, env: options.env, stdio: options.stdio, detached: options.ownGroup ?? true,
  });
}

/** Signals a process that may already be gone. */
export function signalProcess(pid: number, sig: NodeJS.Signals): void {
  // 0 and negative pids mean process groups to kill(2): never ours to signal.
  if (!(pid > 0)) return;
  try {
    process.kill(pid, sig);
  } catch {
    // already exited
  }
}

/** `signal` (SIGTERM), then SIGKILL if still running after `graceMs` (`onKill` says so first); resolves once the process is gone. */
export async function stopProcess(running: Running, graceMs: number, options: { signal?: NodeJS.Signals; onKill?: () => void } = {}): Promise<void> {
  signalProcess(running.pid, options.signal ?? 'SIGTERM');
  const timer = setTimeout(() => {
    options.onKill?.();
    signalProcess(running.pid, 'SIGKILL');
  }, graceMs);
  await running.exited;
  clearTimeout(timer);
}

export interface ChildOptions {
  /** How many of its last output lines are kept for `output()` and `text()` (default 60). */
  keepLines?: number;
  /**
   * Its stdout and stderr go to this file (appended) instead of a pipe, as a process manager keeps a
   * service's output: nothing here reads them line by line (`whenLine` never fires), and `output()`
   * and `text()` show the file's last lines. The benchmarks' apps, whose request lines would
   * otherwise cost the benchmark's own process the CPU of reading them.
   */
  outputFile?: string;
  /** As NodeSpawnOptions' (default: its own process group). */
  ownGroup?: boolean;
  /** The entry's own arguments. */
  args?: string[];
}

/**
 * A node child process running a TypeScript entry (spawnNode), its output piped and its last lines
 * kept for error reports. The benchmarks' and the tests' children; `npm start` supervises its own.
 */
export class Child {
  readonly startedAt = performance.now();
  /** Its exit code, or the signal that ended it. */
  readonly exited: Promise<number | string>;
  private readonly lines: string[] = [];
  private readonly partial = { stdout: '', stderr: '' };
  private readonly lineWatchers: Array<{ re: RegExp; resolve: (at: number) => void }> = [];

  private constructor(
    readonly name: string,
    /** Its process as spawnProcess started it: pid and exit, for what supervises processes (npm start's restart supervisor). */
    readonly running: RunningProcess,
    private readonly keepLines: number,
    private readonly outputFile?: string,
  ) {
    this.exited = running.exited.then((exit) => exit.signal ?? exit.code ?? 0);
    for (const stream of ['stdout', 'stderr'] as const) {
      const pipe = running.proc[stream];
      // Lines are whole even when a chunk ends mid-line.
      pipe?.on('data', (chunk: Buffer) => {
        const parts = (this.partial[stream] + chunk.toString('utf8')).split('\n');
        this.partial[stream] = parts.pop() ?? '';
        for (const line of parts) this.take(line);
      });
      pipe?.on('end', () => {
        if (this.partial[stream]) this.take(this.partial[stream]);
        this.partial[stream] = '';
      });
    }
  }

  static spawn(name: string, entry: string, env: NodeJS.ProcessEnv, nodeArgs: string[] = [], options: ChildOptions = {}): Child {
    if (options.outputFile === undefined) {
      const running = spawnNode(entry, { env, stdio: ['ignore', 'pipe', 'pipe'], nodeArgs, args: options.args, ownGroup: options.ownGroup });
      return new Child(name, running, options.keepLines ?? 60);
    }
    const fd = openSync(options.outputFile, 'a');
    try {
      const running = spawnNode(entry, { env, stdio: ['ignore', fd, fd], nodeArgs, args: options.args, ownGroup: options.ownGroup });
      return new Child(name, running, options.keepLines ?? 60, options.outputFile);
    } finally {
      closeSync(fd);
    }
  }

  get proc(): ChildProcess {
    return this.running.proc;
  }

  get pid(): number {
    return this.running.pid;
  }

  get alive(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  /** Resolves with the time (performance.now) of the first output line from now on matching `re`. */
  whenLine(re: RegExp): Promise<number> {
    return new Promise((resolveLine) => this.lineWatchers.push({ re, resolve: resolveLine }));
  }

  /** As `whenLine`, but fails (with the output) if the child exits first or `timeoutMs` passes. */
  async waitForLine(re: RegExp, timeoutMs: number): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${this.name}: no line matching ${re} within ${timeoutMs / 1000} s:\n${this.output()}`)), timeoutMs);
    });
    const died = this.exited.then((code) => {
      throw new Error(`${this.name} exited (${code}):\n${this.output()}`);
    });
    try {
      return await Promise.race([this.whenLine(re), timeout, died]);
    } finally {
      clearTimeout(timer);
      died.catch(() => undefined);
    }
  }

  /** The kept lines, each prefixed with the child's name (for error reports). */
  output(): string {
    return this.keptLines().map((l) => `    ${this.name}| ${l}`).join('\n');
  }

  /** The kept lines as printed. */
  text(): string {
    if (this.outputFile !== undefined) return this.keptLines().join('\n');
    return [...this.lines, ...[this.partial.stdout, this.partial.stderr].filter(Boolean)].join('\n');
  }

  /** The last lines: those read from the pipes, or the output file's last `keepLines` (of its last 64 KiB). */
  private keptLines(): string[] {
    if (this.outputFile === undefined) return this.lines;
    try {
      const size = statSync(this.outputFile).size;
      const fd = openSync(this.outputFile, 'r');
      try {
        const length = Math.min(size, 64 * 1024);
        const buffer = Buffer.alloc(length);
        readSync(fd, buffer, 0, length, size - length);
        return buffer.toString('utf8').split('\n').filter(Boolean).slice(-this.keepLines);
      } finally {
        closeSync(fd);
      }
    } catch {
      return [];
    }
  }

  /** `signal` (SIGTERM), then SIGKILL after `graceMs`; resolves once it has exited. */
  async stop(graceMs = 5000, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (!this.alive) return;
    await stopProcess(this.running, graceMs, { signal });
  }

  /** Last resort from an 'exit' handler: synchronous. */
  killNow(): void {
    if (this.alive) signalProcess(this.pid, 'SIGKILL');
  }

  private take(line: string): void {
    if (!line) return;
    this.lines.push(line);
    if (this.lines.length > this.keepLines) this.lines.shift();
    for (const w of [...this.lineWatchers]) {
      if (w.re.test(line)) {
        this.lineWatchers.splice(this.lineWatchers.indexOf(w), 1);
        w.resolve(performance.now());
      }
    }
  }
}
