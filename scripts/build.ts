import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { transformFileSync, type Options } from '@swc/core';
import * as ts from 'typescript';
import { buildConsole } from './console-build';

/**
 * `npm run build`: type-checks the project (`tsc --noEmit`), then compiles every app, lib and script
 * (apps/, libs/, scripts/; no spec files) to plain CommonJS under dist/, mirroring the source tree:
 * `X.ts` → `dist/X.js` (`dist/apps/<app>/src/main.js`, `dist/scripts/start.js`, `dist/libs/...`).
 * The `@cp/*` imports become relative requires, from tsconfig.json's `paths`: the one place the
 * module aliases are written (jest.config.js and `@swc-node/register` read them there too).
 * Decorator metadata is kept (Nest's DI reads `design:paramtypes`). Every other file under those
 * folders (baremetal-svc's templates, say) is copied as is, so paths from `__dirname` resolve in dist.
 *
 *   npm run build [-- --out-dir <dir>] [--no-typecheck] [--no-console]
 *
 * Then the operator console (apps/console, a browser app) is bundled by vite into `dist/console/`
 * (scripts/console-build.ts); the swc walk skips apps/console.
 *
 * The output runs with plain `node`: `npm run start:prod`, or `node dist/apps/<app>/src/main.js`.
 * An out dir outside the repository needs the repository's node_modules on its way up (a symlink).
 */

/** The repository root (this file is scripts/build.ts, or dist/scripts/build.js once built). */
const ROOT = resolve(__dirname, __filename.endsWith('.js') ? '../..' : '..');
/** What is built: the apps, the libs, the scripts (not bench/, test/, docs/). */
const SOURCE_DIRS = ['apps', 'libs', 'scripts'];
/** Not compiled by swc: the console is a browser app, bundled by vite into `<outDir>/console`. */
const BROWSER_DIRS = [join(ROOT, 'apps', 'console')];
const isSpec = (file: string) => /\.spec\.ts$/.test(file);

export interface BuildOptions {
  outDir: string;
  typecheck: boolean;
  /** Bundle the console into `<outDir>/console` (default: true). */
  console?: boolean;
  log?: (line: string) => void;
}

interface PathAlias {
  /** The alias without its `*` (`@cp/bus`, `@cp/domain/`). */
  prefix: string;
  wildcard: boolean;
  /** Its target relative to the root, without its `*` (`libs/bus/src`, `libs/domain/`). */
  target: string;
}

/** tsconfig.json's `paths` (resolved against its `baseUrl`), as read by TypeScript itself. */
export function readPathAliases(tsconfigPath = join(ROOT, 'tsconfig.json')): PathAlias[] {
  const { config, error } = ts.readConfigFile(tsconfigPath, ts.sys.readFile);
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  const options = config.compilerOptions ?? {};
  const baseUrl = resolve(dirname(tsconfigPath), options.baseUrl ?? '.');
  return Object.entries((options.paths ?? {}) as Record<string, string[]>).map(([key, targets]) => {
    if (targets.length !== 1) throw new Error(`tsconfig.json paths: ${key} must have exactly one target`);
    const wildcard = key.endsWith('*');
    return {
      prefix: wildcard ? key.slice(0, -1) : key,
      wildcard,
      target: relative(ROOT, resolve(baseUrl, wildcard ? targets[0].replace(/\*$/, '') : targets[0])) + (wildcard ? sep : ''),
    };
  });
}

/** Where `specifier` points under the root (relative path), or null when it is no alias. */
export function resolveAlias(aliases: readonly PathAlias[], specifier: string): string | null {
  for (const alias of aliases) {
    if (alias.wildcard ? specifier.startsWith(alias.prefix) : specifier === alias.prefix) {
      return alias.wildcard ? alias.target + specifier.slice(alias.prefix.length) : alias.target;
    }
  }
  return null;
}

/** .swcrc's compiler settings (their one place: jest transforms the tests with them too), with separate source maps. */
function swcOptions(): Options {
  const { $schema: _schema, ...swcrc } = JSON.parse(readFileSync(join(ROOT, '.swcrc'), 'utf8')) as Options & { $schema?: string };
  return { ...swcrc, sourceMaps: true, swcrc: false, configFile: false };
}
const SWC_OPTIONS = swcOptions();

function* walk(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && BROWSER_DIRS.includes(path)) continue;
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.isFile()) yield path;
  }
}

/** Each require of an `@cp/*` alias in a compiled file (dynamic imports compile to require too) → a relative require. */
function rewriteRequires(code: string, outFile: string, outDir: string, aliases: readonly PathAlias[]): string {
  return code.replace(/require\((["'])(@[^"']+)\1\)/g, (whole, quote: string, specifier: string) => {
    const target = resolveAlias(aliases, specifier);
    if (target === null) return whole;
    let rel = relative(dirname(outFile), join(outDir, target)).split(sep).join('/');
    if (!rel.startsWith('.')) rel = `./${rel}`;
    return `require(${quote}${rel}${quote})`;
  });
}

export function build(options: BuildOptions): { compiled: number; copied: number } {
  const log = options.log ?? ((line: string) => process.stdout.write(`[build] ${line}\n`));
  const outDir = resolve(ROOT, options.outDir);
  if (outDir === ROOT || ROOT.startsWith(outDir + sep) || SOURCE_DIRS.some((d) => outDir.startsWith(join(ROOT, d)))) {
    throw new Error(`refusing to build into ${outDir}: it holds the sources`);
  }
  if (options.typecheck) {
    log('type-checking (tsc --noEmit -p tsconfig.json)...');
    const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '--noEmit', '-p', join(ROOT, 'tsconfig.json')], { cwd: ROOT, stdio: 'inherit' });
    if (tsc.status !== 0) throw new Error('type errors: nothing built');
    log('type-checking the console (tsc --noEmit -p apps/console/tsconfig.json)...');
    const consoleTsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '--noEmit', '-p', join(ROOT, 'apps/console/tsconfig.json')], { cwd: ROOT, stdio: 'inherit' });
    if (consoleTsc.status !== 0) throw new Error('type errors in the console: nothing built');
  }
  const aliases = readPathAliases();
  rmSync(outDir, { recursive: true, force: true });
  let compiled = 0;
  let copied = 0;
  for (const sourceDir of SOURCE_DIRS) {
    for (const file of walk(join(ROOT, sourceDir))) {
      const rel = relative(ROOT, file);
      if (isSpec(rel) || rel.endsWith('.d.ts')) continue;
      if (rel.endsWith('.ts')) {
        const outFile = join(outDir, rel.replace(/\.ts$/, '.js'));
        const { code, map } = transformFileSync(file, { ...SWC_OPTIONS, filename: file, sourceFileName: relative(dirname(outFile), file) });
        const js = rewriteRequires(code, outFile, outDir, aliases);
        const unresolved = /require\((["'])@cp\/[^"']*\1\)/.exec(js);
        if (unresolved) throw new Error(`${rel}: ${unresolved[0]} matches no path in tsconfig.json`);
        mkdirSync(dirname(outFile), { recursive: true });
        writeFileSync(outFile, `${js}\n//# sourceMappingURL=${outFile.split(sep).pop()}.map\n`);
        if (map) writeFileSync(`${outFile}.map`, map);
        compiled++;
      } else {
        // Run-time assets (apps/baremetal-svc/templates/*.cfg, ...), at the same place relative to the code.
        const outFile = join(outDir, rel);
        mkdirSync(dirname(outFile), { recursive: true });
        copyFileSync(file, outFile);
        copied++;
      }
    }
  }
  log(`compiled ${compiled} files and copied ${copied} assets to ${relative(process.cwd(), outDir) || '.'}`);
  if (options.console !== false) buildConsole(join(outDir, 'console'), log);
  return { compiled, copied };
}

function parseArgs(argv: string[]): BuildOptions {
  const options: BuildOptions = { outDir: 'dist', typecheck: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--out-dir' && argv[i + 1]) options.outDir = resolve(process.cwd(), argv[++i]);
    else if (arg.startsWith('--out-dir=')) options.outDir = resolve(process.cwd(), arg.slice('--out-dir='.length));
    else if (arg === '--no-typecheck') options.typecheck = false;
    else if (arg === '--no-console') options.console = false;
    else throw new Error(`unknown argument ${arg} (usage: build [--out-dir <dir>] [--no-typecheck] [--no-console])`);
  }
  return options;
}

if (require.main === module) {
  try {
    const started = Date.now();
    build(parseArgs(process.argv.slice(2)));
    process.stdout.write(`[build] done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  } catch (error) {
    process.stderr.write(`[build] ${(error as Error).message}\n`);
    process.exit(1);
  }
}
