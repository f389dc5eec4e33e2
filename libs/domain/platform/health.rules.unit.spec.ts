import type { ProbeRecord } from '@cp/contracts';
import { healthOf, withProbe } from './health.rules';

const ok = (latencyMs = 10): ProbeRecord => ({ ok: true, at: 't', latencyMs });
const fail: ProbeRecord = { ok: false, at: 't', error: 'tcp_connect failed' };
const run = (...probes: ProbeRecord[]) => healthOf(probes.reduce<ProbeRecord[]>(withProbe, []), 1000).healthStatus;

describe('platform health', () => {
  it('is healthy while probes succeed in time, degraded when slow', () => {
    expect(run(ok(), ok())).toBe('healthy');
    expect(run(ok(), ok(5000))).toBe('degraded');
  });

  it('goes degraded on one failure and unhealthy on the second; back to healthy once most recent probes succeed', () => {
    expect(run(ok(), ok(), fail)).toBe('degraded');
    expect(healthOf([ok(), fail, fail], 1000)).toEqual({ status: 'disconnected', healthStatus: 'unhealthy' });
    expect(run(fail)).toBe('unhealthy');
    expect(run(ok(), ok(), fail, fail, ok())).toBe('healthy');
    expect(run(fail, fail, fail, ok())).toBe('degraded');
  });

  it('keeps a bounded window', () => {
    expect([ok(), ok(), ok(), ok(), ok(), fail].reduce<ProbeRecord[]>(withProbe, [])).toHaveLength(5);
  });
});
