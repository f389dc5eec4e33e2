/**
 * The one way our command-line tools (`npm run replay`, `npm run rotate-key`) read their arguments:
 * `node:util` parseArgs with `strict: true` (an unknown flag, a flag without its value or a stray
 * argument is refused), each value checked, `-h`/`--help` printing the usage. A bad command line
 * prints one line and the usage and exits 2, before the tool touches anything.
 */

/** A bad command line: one line saying what is wrong. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Runs parseArgs (or any parser) turning its errors into one-line UsageErrors. */
export function strictly<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n').join(' '));
  }
}

/** What a tool's parser returns: its options, or HELP for `--help`. */
export const HELP = Symbol('help');

/**
 * For a tool's main: `parse(args)`; `--help` prints the usage on stdout and exits 0; a UsageError
 * prints `[tool] <line>` and the usage on stderr and exits 2.
 */
export function commandLine<T>(tool: string, usage: string, parse: (args: string[]) => T | typeof HELP, args = process.argv.slice(2)): T {
  let parsed: T | typeof HELP;
  try {
    parsed = parse(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`[${tool}] ${error.message}\n${usage}\n`);
    process.exit(2);
  }
  if (parsed === HELP) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  return parsed;
}
