import { join, resolve } from 'node:path';
import { loadGatewayConfig } from './config';

describe('loadGatewayConfig', () => {
  it('has the documented defaults', () => {
    expect(loadGatewayConfig({})).toEqual({
      natsUrl: 'nats://127.0.0.1:4222', jobTtlMs: 10_800_000, host: '0.0.0.0', port: 8080, publicUrl: '', bodyLimitBytes: 1024 * 1024,
      fastPathMs: 2000, busTimeoutMs: 10_000, apiTimeoutMs: 60_000, timeZone: 'UTC',
      limits: { loginPerMin: 30, loginBurst: 10, apiPerSec: 100, apiBurst: 200, maxInFlightPerClient: 32, refusalDelayMs: 250, requestTimeoutMs: 300_000 },
      trustProxy: false, sharedSessionPositions: false,
      // From the sources: the repository's dist/console (`npm run build`'s, or npm start's).
      consoleDir: join(resolve(__dirname, '../../..'), 'dist', 'console'),
    });
  });

  it('serves the console from CONSOLE_DIR when set', () => {
    expect(loadGatewayConfig({ CONSOLE_DIR: '/srv/console' }).consoleDir).toBe('/srv/console');
  });

  it('reads PUBLIC_URL without its trailing slashes, ZSTACK_TIME_ZONE as a zone', () => {
    const config = loadGatewayConfig({ PUBLIC_URL: 'https://cp.example.com/', ZSTACK_TIME_ZONE: 'Asia/Shanghai', PORT: '0' });
    expect(config).toMatchObject({ publicUrl: 'https://cp.example.com', timeZone: 'Asia/Shanghai', port: 0 });
  });

  it.each([
    ['PORT', 'abc', 'PORT must be an integer from 0 to 65535, got "abc"'],
    ['PORT', '70000', 'PORT must be an integer from 0 to 65535, got "70000"'],
    ['PUBLIC_URL', 'cp.example.com', 'PUBLIC_URL must be a URL starting with http:// or https://, got "cp.example.com"'],
    ['ZSTACK_TIME_ZONE', 'Mars/Base', 'ZSTACK_TIME_ZONE must be an IANA time zone (e.g. UTC, Europe/Berlin), got "Mars/Base"'],
    ['FAST_PATH_MS', '0', 'FAST_PATH_MS must be an integer from 1 to 60000, got "0"'],
  ])('refuses %s=%s', (name, value, line) => {
    expect(() => loadGatewayConfig({ [name]: value })).toThrow(line);
  });
});
