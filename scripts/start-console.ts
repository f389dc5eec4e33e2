import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { RUNNING_COMPILED } from '@cp/testing';
import { defaultConsoleDir } from '../apps/gateway/src/console/console-dir';

/**
 * `npm start`'s console: from the sources, built into CONSOLE_DIR (default dist/console) when it is
 * missing or older than its sources (scripts/console-build.ts's stamp; nothing is rebuilt otherwise).
 * Compiled (`npm run start:prod`), the build's own `console/` is served as it is: no vite at run time.
 * A failed build is reported and the control plane starts anyway (the console answers 503).
 * `CONSOLE_BUILD=off`: never build, serve what is there (the test suites' stacks, which do not use
 * the console; `npm run test:console` builds its own). True when a console is there to serve.
 */
export function prepareConsole(say: (line: string) => void): boolean {
  const dir = resolve(process.env.CONSOLE_DIR || defaultConsoleDir());
  if (RUNNING_COMPILED || process.env.CONSOLE_BUILD === 'off') {
    if (!existsSync(join(dir, 'index.html'))) say(`no console in ${dir}: run npm run build`);
    return existsSync(join(dir, 'index.html'));
  }
  try {
    // Loaded only from the sources: vite and the generator are development tools.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { ensureConsole } = require('./console-build') as typeof import('./console-build');
    ensureConsole(dir, (line) => say(`console: ${line}`));
    return true;
  } catch (error) {
    say(`the console could not be built (${(error as Error).message}); the APIs start without it`);
    return false;
  }
}
