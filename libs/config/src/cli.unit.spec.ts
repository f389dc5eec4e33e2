import { parseArgs } from 'node:util';
import { HELP, UsageError, commandLine, strictly } from './index';

const USAGE = 'usage: tool [--name <x>]';

function parse(args: string[]) {
  const { values } = strictly(() => parseArgs({ args, strict: true, allowPositionals: false, options: { name: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
  if (values.help) return HELP;
  if (values.name === 'bad') throw new UsageError('--name must not be bad');
  return values;
}

/** Runs commandLine with process.exit and the outputs captured. */
function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((c) => (out.push(String(c)), true));
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((c) => (err.push(String(c)), true));
  const exit = jest.spyOn(process, 'exit').mockImplementation(((code: number) => {
    throw Object.assign(new Error('exit'), { code });
  }) as never);
  try {
    return { result: commandLine('tool', USAGE, parse, args), code: undefined, out: out.join(''), err: err.join('') };
  } catch (error) {
    return { result: undefined, code: (error as { code: number }).code, out: out.join(''), err: err.join('') };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
    exit.mockRestore();
  }
}

describe('strictly', () => {
  it('turns parseArgs errors into one-line UsageErrors', () => {
    expect(() => parse(['--other'])).toThrow(new UsageError("Unknown option '--other'"));
    expect(() => parse(['--name', '--help'])).toThrow(UsageError);
    try {
      parse(['--name', '--help']);
    } catch (error) {
      expect((error as Error).message).not.toContain('\n');
    }
  });
});

describe('commandLine', () => {
  it('returns the options', () => {
    expect(run(['--name', 'x']).result).toEqual({ name: 'x' });
  });

  it('--help: the usage on stdout, exit 0', () => {
    for (const help of ['--help', '-h']) {
      const r = run([help]);
      expect(r).toMatchObject({ code: 0, out: `${USAGE}\n`, err: '' });
    }
  });

  it('an unknown flag, a stray argument or a bad value: one line and the usage on stderr, exit 2', () => {
    expect(run(['--nmae', 'x'])).toMatchObject({ code: 2, out: '', err: `[tool] Unknown option '--nmae'\n${USAGE}\n` });
    expect(run(['x'])).toMatchObject({ code: 2, err: `[tool] Unexpected argument 'x'. This command does not take positional arguments\n${USAGE}\n` });
    expect(run(['--name=bad'])).toMatchObject({ code: 2, err: `[tool] --name must not be bad\n${USAGE}\n` });
  });
});
