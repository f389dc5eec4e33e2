import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
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

/** Builds the console into `dir` (emptied first). Throws when vite fails. */
export function buildConsole(dir: string, log: (line: string) => void = (line) => process.stdout.write(`[console] ${line}\n`)): void {
  const started = Date.now();
  if (writeConsoleRoutes()) log('apps/console/src/api/routes.generated.ts rewritten from the registry');
  const hash = consoleSourceHash();
  const vite = spawnSync(process.execPath, [join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js'), 'build', '--config', join(CONSOLE_SRC, 'vite.config.ts')], {
    cwd: ROOT, stdio: 'inherit', env: { ...process.env, CONSOLE_OUT_DIR: dir },
  });
  if (vite.status !== 0) throw new Error(`the console's vite build failed (exit ${vite.status ?? vite.signal})`);
  writeFileSync(join(dir, STAMP_FILE), `${hash}\n`);
  log(`built into ${relative(process.cwd(), dir) || '.'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** Builds the console into `dir` unless it is up to date; true when it built. */
export function ensureConsole(dir: string, log?: (line: string) => void): boolean {
  if (consoleUpToDate(dir)) return false;
  buildConsole(dir, log);
  return true;
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
