import { join, resolve } from 'node:path';

/**
 * Where the built console is by default: `<repo>/dist/console` when the gateway runs from its
 * TypeScript sources, `<out dir>/console` when it runs compiled (`npm run build`'s output, whose
 * `console/` the build wrote), the way libs/testing finds the build's root.
 */
export function defaultConsoleDir(): string {
  // This file is apps/gateway/src/console/console-dir.ts, or <out dir>/apps/gateway/src/console/console-dir.js.
  const root = resolve(__dirname, '../../../..');
  return __filename.endsWith('.js') ? join(root, 'console') : join(root, 'dist', 'console');
}
