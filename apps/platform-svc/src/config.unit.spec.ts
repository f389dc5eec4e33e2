import { ConfigError } from '@cp/config';
import { HealthMonitor } from './health/health-monitor';
import { loadPlatformConfig } from './config';

const KEY = { ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64') };

describe('loadPlatformConfig', () => {
  it('HEALTH_MONITOR: on by default; off, false and 0 turn the monitor off; anything else stops the service', () => {
    expect(loadPlatformConfig(KEY).monitor).toBe(true);
    for (const on of ['on', 'true', '1', 'TRUE']) expect(loadPlatformConfig({ ...KEY, HEALTH_MONITOR: on }).monitor).toBe(true);
    for (const off of ['off', 'false', '0', 'False']) expect(loadPlatformConfig({ ...KEY, HEALTH_MONITOR: off }).monitor).toBe(false);
    expect(() => loadPlatformConfig({ ...KEY, HEALTH_MONITOR: 'maybe' })).toThrow(new ConfigError('HEALTH_MONITOR', 'one of true, false, 1, 0, on, off', 'maybe'));
  });

  it('HEALTH_MONITOR=false: the monitor never starts (no timer, no lease, no probe)', () => {
    const untouched = new Proxy({}, { get: (_, name) => { throw new Error(`the monitor used ${String(name)}`); } });
    const monitor = new HealthMonitor(loadPlatformConfig({ ...KEY, HEALTH_MONITOR: 'false' }), untouched as never, untouched as never, untouched as never, untouched as never, untouched as never);
    monitor.onApplicationBootstrap();
    expect((monitor as unknown as { timer: unknown }).timer).toBeNull();
    expect(monitor.stats.ticks).toBe(0);
  });

  it('CONNECT_DENY_LIST: CIDRs, checked at start', () => {
    expect(loadPlatformConfig(KEY).denyList).toBe('169.254.0.0/16,fe80::/10');
    expect(loadPlatformConfig({ ...KEY, CONNECT_DENY_LIST: '10.0.0.0/8, 192.168.1.1' }).denyList).toBe('10.0.0.0/8, 192.168.1.1');
    expect(() => loadPlatformConfig({ ...KEY, CONNECT_DENY_LIST: '10.0.0.0/33' }))
      .toThrow('CONNECT_DENY_LIST must be comma-separated CIDRs (e.g. 169.254.0.0/16,fe80::/10), got "10.0.0.0/33"');
  });
});
