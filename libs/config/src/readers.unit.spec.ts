import { ConfigError, appConfig, jetStreamReplicas, cannotStart, envBool, envEnum, envInt, envMatching, envString, envTimeZone, envUrl, eventStoreConfig, startupConfig } from './index';

/** The error a reader throws, as the one line a main prints. */
function refusal(read: () => unknown): string {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('expected a ConfigError');
}

describe('envString', () => {
  it('is the value, or the default when unset or empty', () => {
    expect(envString({ A: 'x y' }, 'A', 'd')).toBe('x y');
    expect(envString({}, 'A', 'd')).toBe('d');
    expect(envString({ A: '' }, 'A', 'd')).toBe('d');
  });
});

describe('envInt', () => {
  it('reads whole numbers within the bounds, the default when unset or empty', () => {
    expect(envInt({ PORT: '8081' }, 'PORT', 8080, 0, 65535)).toBe(8081);
    expect(envInt({ PORT: ' 0 ' }, 'PORT', 8080, 0, 65535)).toBe(0);
    expect(envInt({ PORT: '65535' }, 'PORT', 8080, 0, 65535)).toBe(65535);
    expect(envInt({ N: '-5' }, 'N', 1)).toBe(-5);
    expect(envInt({}, 'PORT', 8080, 0, 65535)).toBe(8080);
    expect(envInt({ PORT: '' }, 'PORT', 8080, 0, 65535)).toBe(8080);
  });

  it.each([['abc'], ['1.5'], ['1e3'], ['0x10'], ['+1'], ['8080abc'], ['-1'], ['65536'], ['99999999999999999999']])('refuses PORT=%s with one line naming the variable, the rule and the value', (value) => {
    expect(refusal(() => envInt({ PORT: value }, 'PORT', 8080, 0, 65535))).toBe(`PORT must be an integer from 0 to 65535, got ${JSON.stringify(value)}`);
  });

  it('states only "an integer" when unbounded, and refuses an unsafe one', () => {
    expect(refusal(() => envInt({ N: 'x' }, 'N', 1))).toBe('N must be an integer, got "x"');
    expect(refusal(() => envInt({ N: '9007199254740993' }, 'N', 1))).toBe('N must be an integer, got "9007199254740993"');
  });
});

describe('envBool', () => {
  it.each([['true', true], ['1', true], ['on', true], ['TRUE', true], ['false', false], ['0', false], ['off', false], ['Off', false]])('reads %s as %s', (value, expected) => {
    expect(envBool({ HEALTH_MONITOR: value as string }, 'HEALTH_MONITOR', !expected)).toBe(expected);
  });

  it('is the default when unset or empty', () => {
    expect(envBool({}, 'HEALTH_MONITOR', true)).toBe(true);
    expect(envBool({ HEALTH_MONITOR: '' }, 'HEALTH_MONITOR', false)).toBe(false);
  });

  it.each([['maybe'], ['yes'], ['no'], ['disabled'], ['2']])('refuses %s instead of reading it as "on"', (value) => {
    expect(refusal(() => envBool({ HEALTH_MONITOR: value }, 'HEALTH_MONITOR', true)))
      .toBe(`HEALTH_MONITOR must be one of true, false, 1, 0, on, off, got "${value}"`);
  });
});

describe('envEnum', () => {
  it('reads one of the words exactly', () => {
    expect(envEnum({ EVENT_STORE: 'esdb' }, 'EVENT_STORE', ['jetstream', 'esdb'] as const, 'jetstream')).toBe('esdb');
    expect(envEnum({}, 'EVENT_STORE', ['jetstream', 'esdb'] as const, 'jetstream')).toBe('jetstream');
  });

  it.each([['bogus'], ['ESDB'], [' esdb']])('refuses %j', (value) => {
    expect(refusal(() => envEnum({ EVENT_STORE: value }, 'EVENT_STORE', ['jetstream', 'esdb'] as const, 'jetstream')))
      .toBe(`EVENT_STORE must be one of jetstream, esdb, got ${JSON.stringify(value)}`);
  });
});

describe('envUrl', () => {
  it('reads a URL with one of the schemes', () => {
    expect(envUrl({ U: 'https://cp.example.com/' }, 'U', '', ['http', 'https'])).toBe('https://cp.example.com/');
    expect(envUrl({ U: 'HTTP://h:1' }, 'U', '', ['http', 'https'])).toBe('HTTP://h:1');
    expect(envUrl({}, 'U', 'http://d', ['http'])).toBe('http://d');
  });

  it.each([['ftp://h'], ['cp.example.com'], ['http://'], ['http://a b']])('refuses %j', (value) => {
    expect(refusal(() => envUrl({ U: value }, 'U', '', ['http', 'https']))).toBe(`U must be a URL starting with http:// or https://, got ${JSON.stringify(value)}`);
  });

  it('never prints a secret value', () => {
    const message = refusal(() => envUrl({ S: 'http://admin:hunter2@h' }, 'S', '', ['esdb'], { secret: true }));
    expect(message).toBe('S must be a URL starting with esdb://');
    expect(message).not.toContain('hunter2');
  });
});

describe('envMatching and envTimeZone', () => {
  it('checks a value with its rule', () => {
    expect(envMatching({ X: 'ab' }, 'X', 'd', 'two letters', (v) => /^[a-z]{2}$/.test(v))).toBe('ab');
    expect(refusal(() => envMatching({ X: 'abc' }, 'X', 'd', 'two letters', (v) => /^[a-z]{2}$/.test(v)))).toBe('X must be two letters, got "abc"');
    expect(envTimeZone({ TZ_X: 'Europe/Berlin' }, 'TZ_X', 'UTC')).toBe('Europe/Berlin');
    expect(refusal(() => envTimeZone({ TZ_X: 'Mars/Base' }, 'TZ_X', 'UTC'))).toBe('TZ_X must be an IANA time zone (e.g. UTC, Europe/Berlin), got "Mars/Base"');
  });

  it('prints a value on one line, cut short: control characters escaped, at most 64 characters', () => {
    expect(refusal(() => envInt({ N: '1\n2' }, 'N', 1, 0, 9))).toBe('N must be an integer from 0 to 9, got "1\\n2"');
    const message = refusal(() => envInt({ N: 'x'.repeat(500) }, 'N', 1, 0, 9));
    expect(message).toBe(`N must be an integer from 0 to 9, got "${'x'.repeat(64)}..."`);
  });
});

describe('the shared keys', () => {
  it('EVENT_STORE=esdb needs an esdb connection string, and never prints it', () => {
    expect(refusal(() => eventStoreConfig({ EVENT_STORE: 'esdb' })))
      .toBe('ESDB_CONNECTION_STRING must be set when EVENT_STORE=esdb (e.g. esdb://localhost:2113?tls=false)');
    expect(refusal(() => eventStoreConfig({ EVENT_STORE: 'esdb', ESDB_CONNECTION_STRING: 'http://admin:changeit@h:2113' })))
      .toBe('ESDB_CONNECTION_STRING must be a URL starting with esdb:// or esdb+discover://');
    expect(eventStoreConfig({ EVENT_STORE: 'esdb', ESDB_CONNECTION_STRING: 'esdb+discover://h1:2113,h2:2113?tls=false' }).esdbConnectionString)
      .toBe('esdb+discover://h1:2113,h2:2113?tls=false');
  });

  it('every app checks LOG_FORMAT and LOG_LEVEL at start', () => {
    expect(refusal(() => appConfig({ LOG_LEVEL: 'loud' }))).toBe('LOG_LEVEL must be one of debug, log, warn, error, got "loud"');
    expect(refusal(() => appConfig({ LOG_FORMAT: 'xml' }))).toBe('LOG_FORMAT must be one of json, text, got "xml"');
  });
});

describe('startupConfig', () => {
  it('returns the config, or prints "<app> cannot start: <line>" and exits 1', () => {
    expect(startupConfig('gateway', () => 42)).toBe(42);
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const exit = jest.spyOn(process, 'exit').mockImplementation(((code: number) => {
      throw new Error(`exit ${code}`);
    }) as never);
    try {
      expect(() => startupConfig('gateway', () => envInt({ PORT: 'abc' }, 'PORT', 8080, 0, 65535))).toThrow('exit 1');
      expect(write).toHaveBeenCalledWith('gateway cannot start: PORT must be an integer from 0 to 65535, got "abc"\n');
      expect(exit).toHaveBeenCalledWith(1);
    } finally {
      write.mockRestore();
      exit.mockRestore();
    }
  });

  it('keeps any error to its first line', () => {
    expect(cannotStart('identity-svc', new Error('no encryption key\n    at somewhere'))).toBe('identity-svc cannot start: no encryption key');
  });
});

describe('JETSTREAM_REPLICAS', () => {
  it('is 1 by default, 1 to 5 when set, and stops the app at start otherwise', () => {
    expect(jetStreamReplicas({})).toBe(1);
    expect(jetStreamReplicas({ JETSTREAM_REPLICAS: '3' })).toBe(3);
    for (const value of ['0', '6', 'three']) {
      expect(refusal(() => appConfig({ JETSTREAM_REPLICAS: value }))).toMatch(/^JETSTREAM_REPLICAS must be an integer from 1 to 5/);
    }
  });
});
