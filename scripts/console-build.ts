import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { writeConsoleRoutes } from './console-routes';

/**
 * The console's build (apps/console → `<outDir>/console` by vite), for `npm run build` and `npm start`:
 * routes.generated.ts rewritten from the registry, then `vite build`. A stamp file in the output
 * (`.source-hash`: the SHA-256 of the console's sources, the registry and the lock file) lets
 * `npm start` skip the build when nothing changed.
 */

const ROOT = resolve(__dirname, __filename.endsWith('.js') ? '../..' : '..');
const CONSOLE_SRC = join(ROOT, 'apps/console');
export const STAMP_FILE = '.source-hash';
/** What the built console depends on, besides node_modules' packages (pinned by the lock file). */
const INPUTS = [CONSOLE_SRC, join(ROOT, 'libs/contracts/src/registry'), join(ROOT, 'package-lock.json')];

function* files(path: string): Generator<string> {
  if (!existsSync(path)) return;
  const entries = readdirSync(path, { withFileTypes: true });
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) yield* files(child);
    else if (entry.isFile() && !/\.spec\.tsx?$/.test(entry.name)) yield child;
  }
}

/** The hash of the console's inputs. */
export function consoleSourceHash(): string {
  const hash = createHash('sha256');
  for (const input of INPUTS) {
    const list = input.endsWith('.json') ? [input] : [...files(input)];
    for (const file of list) hash.update(relative(ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

/** Whether `dir` holds a console built from the current sources. */
export function consoleUpToDate(dir: string): boolean {
  try {
    return existsSync(join(dir, 'index.html')) && readFileSync(join(dir, STAMP_FILE), 'utf8').trim() === consoleSourceHash();
  } catch {
    return false;
  }
}

/**
 * Builds the console into `dir`: vite writes a folder beside it, which then replaces `dir` (a
 * gateway serving `dir` meanwhile keeps serving the old files). Throws when vite fails.
 */
export function buildConsole(dir: string, log: (line: string) => void = (line) => process.stdout.write(`[console] ${line}\n`)): void {
  const started = Date.now();
  if (writeConsoleRoutes()) log('apps/console/src/api/routes.generated.ts rewritten from the registry');
  const hash = consoleSourceHash();
  const building = `${dir}.building-${process.pid}`;
  try {
    const vite = spawnSync(process.execPath, [join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js'), 'build', '--config', join(CONSOLE_SRC, 'vite.config.ts')], {
      // NODE_ENV production whoever runs it (jest sets `test`, which would bundle React's development build).
      cwd: ROOT, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production', CONSOLE_OUT_DIR: building },
    });
    if (vite.status !== 0) throw new Error(`the console's vite build failed (exit ${vite.status ?? vite.signal})`);
    writeFileSync(join(building, STAMP_FILE), `${hash}\n`);
    const old = `${dir}.old-${process.pid}`;
    if (existsSync(dir)) renameSync(dir, old);
    renameSync(building, dir);
    rmSync(old, { recursive: true, force: true });
  } finally {
    rmSync(building, { recursive: true, force: true });
  }
  log(`built into ${relative(process.cwd(), dir) || '.'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * Builds the console into `dir` unless it is up to date; true when it built. One build per folder
 * at a time (several `npm start`s on one checkout, the test files' stacks): the others wait for it
 * (at most `waitMs`), then find it up to date.
 */
export function ensureConsole(dir: string, log?: (line: string) => void, waitMs = 180_000): boolean {
  if (consoleUpToDate(dir)) return false;
  const release = lockFolder(`${dir}.lock`, waitMs, log);
  try {
    if (consoleUpToDate(dir)) return false;
    buildConsole(dir, log);
    return true;
  } finally {
    release();
  }
}

/** Takes the lock file (holding the owner's pid), waiting while a live process holds it; a dead owner's lock is taken over. */
function lockFolder(lock: string, waitMs: number, log?: (line: string) => void): () => void {
  const deadline = Date.now() + waitMs;
  mkdirSync(dirname(lock), { recursive: true });
  for (let said = false; ; said = true) {
    try {
      const fd = openSync(lock, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lock, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const text = readFileSync(lock, 'utf8');
    const owner = Number(text);
    // Empty: its owner has just made it and is writing its pid.
    if (text !== '' && !alive(owner)) {
      unlinkSync(lock);
      continue;
    }
    if (Date.now() > deadline) throw new Error(`another build (pid ${owner}) still holds ${lock}`);
    if (!said) log?.(`waiting for the build of pid ${owner}`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
  }
}

function alive(pid: number): boolean {
  if (!(pid > 0)) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

if (require.main === module) {
  const dir = resolve(process.argv[2] ?? join(ROOT, 'dist/console'));
  try {
    if (!ensureConsole(dir)) process.stdout.write(`[console] ${dir} is up to date\n`);
  } catch (error) {
    process.stderr.write(`[console] ${(error as Error).message}\n`);
    process.exit(1);
  }
}
