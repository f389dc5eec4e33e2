import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * The domain stays a library of pure functions: no file under libs/domain depends on Nest, NATS,
 * the event store or the bus and query plumbing (type-only imports included). It may use
 * @cp/contracts, node's built-ins and pure npm libraries.
 */
const FORBIDDEN: Array<{ rule: string; test: (module: string) => boolean }> = [
  { rule: '@nestjs/*', test: (m) => m.startsWith('@nestjs/') },
  { rule: 'nats', test: (m) => m === 'nats' || m.startsWith('nats/') },
  { rule: '@eventstore/*', test: (m) => m.startsWith('@eventstore/') },
  ...['@cp/event-store', '@cp/bus', '@cp/query'].map((lib) => ({ rule: lib, test: (m: string) => m === lib || m.startsWith(`${lib}/`) })),
];

/** `import ... from 'm'`, `export ... from 'm'`, `import 'm'`, `import('m')`, `require('m')`. */
const MODULE = /\b(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\s*['"]([^'"]+)['"]|\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g;

const root = __dirname;
const repo = join(root, '..', '..');

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(path);
    return entry.isFile() && entry.name.endsWith('.ts') ? [path] : [];
  });
}

function impurities(files: string[]): string[] {
  return files.flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    return [...text.matchAll(MODULE)].flatMap((match) => {
      const module = match[1] ?? match[2] ?? match[3];
      const broken = FORBIDDEN.find((f) => f.test(module));
      return broken ? [`${relative(repo, file)} imports '${module}' (libs/domain may not import ${broken.rule})`] : [];
    });
  });
}

describe('libs/domain', () => {
  const files = tsFiles(root);

  it('is read whole: every context and the test support', () => {
    const folders = new Set(files.map((f) => relative(root, f).split('/')[0]));
    for (const context of ['baremetal', 'platform', 'identity', 'testing']) expect(folders).toContain(context);
  });

  it('imports neither Nest, NATS, the event store, the bus nor the query library', () => {
    expect(impurities(files)).toEqual([]);
  });
});
