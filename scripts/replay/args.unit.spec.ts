import { HELP, UsageError } from '@cp/config';
import { REPLAYABLE, parseReplayArgs } from './args';

describe('parseReplayArgs', () => {
  it('keeps every flag and its meaning', () => {
    expect(REPLAYABLE).toEqual(['identity', 'baremetal', 'platform']);
    expect(parseReplayArgs([])).toEqual({ contexts: REPLAYABLE, verify: false, limit: {} });
    expect(parseReplayArgs(['--context', 'identity', '--verify', '--to', '2', '--nats', 'nats://h:4222'])).toEqual({
      contexts: ['identity'], verify: true, limit: { toPosition: 2n }, nats: 'nats://h:4222',
    });
    expect(parseReplayArgs(['--context=platform'])).toMatchObject({ contexts: ['platform'] });
    expect(parseReplayArgs(['--to', '2026-01-15T08:00:00Z'])).toMatchObject({ limit: { toTime: Date.parse('2026-01-15T08:00:00Z') } });
    expect(parseReplayArgs(['--to', '2026-01-15'])).toMatchObject({ limit: { toTime: Date.parse('2026-01-15') } });
    expect(parseReplayArgs(['--to', '2026-01-15T08:00:00.123+02:00'])).toMatchObject({ limit: { toTime: Date.parse('2026-01-15T08:00:00.123+02:00') } });
  });

  it('--help / -h', () => {
    expect(parseReplayArgs(['--help'])).toBe(HELP);
    expect(parseReplayArgs(['-h'])).toBe(HELP);
  });

  it.each([
    [['--context=x'], '--context must be one of identity, baremetal, platform, not "x"'],
    [['--context', 'audit'], '--context must be one of identity, baremetal, platform, not "audit"'],
    [['--to', 'yesterday'], '--to must be a log position or an ISO-8601 time (e.g. 2026-01-15T08:00:00Z), not "yesterday"'],
    [['--to', '2026-13-45T00:00:00Z'], '--to must be a log position or an ISO-8601 time (e.g. 2026-01-15T08:00:00Z), not "2026-13-45T00:00:00Z"'],
    [['--to', 'Jan 15 2026'], '--to must be a log position or an ISO-8601 time (e.g. 2026-01-15T08:00:00Z), not "Jan 15 2026"'],
    [['--nats', ''], '--nats must be a NATS URL, not empty'],
    [['--contxt', 'identity'], "Unknown option '--contxt'"],
    [['identity'], "Unexpected argument 'identity'. This command does not take positional arguments"],
    [['--verify=yes'], "Option '--verify' does not take an argument"],
    [['--to'], "Option '--to <value>' argument missing"],
  ])('refuses %j', (args, line) => {
    expect(() => parseReplayArgs(args)).toThrow(new UsageError(line));
  });
});
