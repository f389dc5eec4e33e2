import { HELP, UsageError } from '@cp/config';
import { parseRotateKeyArgs } from './rotate-key';

describe('parseRotateKeyArgs', () => {
  it('keeps every flag, its default and its meaning', () => {
    expect(parseRotateKeyArgs([])).toEqual({ url: 'http://127.0.0.1:8080', user: 'admin', newKey: true });
    expect(parseRotateKeyArgs(['--url', 'https://cp.example.com:8443/', '--user', 'ops', '--no-new-key'])).toEqual({
      url: 'https://cp.example.com:8443', user: 'ops', newKey: false,
    });
    expect(parseRotateKeyArgs(['--help'])).toBe(HELP);
    expect(parseRotateKeyArgs(['-h'])).toBe(HELP);
  });

  it.each([
    [['--new-key'], "Unknown option '--new-key'"],
    [['--url', 'ftp://h'], '--url must be the gateway\'s http:// or https:// URL, not "ftp://h"'],
    [['--url', 'localhost:8080'], '--url must be the gateway\'s http:// or https:// URL, not "localhost:8080"'],
    [['--user', ''], '--user must be an admin account name, not empty'],
    [['--no-new-key=false'], "Option '--no-new-key' does not take an argument"],
    [['admin'], "Unexpected argument 'admin'. This command does not take positional arguments"],
  ])('refuses %j', (args, line) => {
    expect(() => parseRotateKeyArgs(args)).toThrow(new UsageError(line));
  });
});
