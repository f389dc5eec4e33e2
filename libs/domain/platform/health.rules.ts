import type { PlatformHealthStatus, PlatformStatus, ProbeRecord } from '@cp/contracts';

/** How many recent probes each platform keeps to judge its health. */
export const RECENT_PROBES = 5;

/**
 * A platform's health from its recent probes (oldest first), the spec's three levels:
 * - `unhealthy`, and `disconnected`: the last two probes failed (or the only one did), so a host
 *   that stops answering is unhealthy within two probe intervals;
 * - `degraded`: the last probe failed after a success (one failure may be a blip), or it succeeded
 *   slower than the latency threshold, or it succeeded but at least half of the recent probes failed;
 * - `healthy`: the last probe succeeded in time, and so did most recent ones.
 */
export function healthOf(recent: readonly ProbeRecord[], latencyThresholdMs: number): { status: PlatformStatus; healthStatus: PlatformHealthStatus } {
  const last = recent[recent.length - 1];
  if (!last) return { status: 'disconnected', healthStatus: 'unhealthy' };
  const previous = recent[recent.length - 2];
  if (!last.ok) {
    return !previous || !previous.ok
      ? { status: 'disconnected', healthStatus: 'unhealthy' }
      : { status: 'connected', healthStatus: 'degraded' };
  }
  const failures = recent.filter((p) => !p.ok).length;
  const slow = (last.latencyMs ?? 0) > latencyThresholdMs;
  return { status: 'connected', healthStatus: slow || failures * 2 >= recent.length ? 'degraded' : 'healthy' };
}

/** The recent probes after one more, bounded. */
export const withProbe = (recent: readonly ProbeRecord[], probe: ProbeRecord): ProbeRecord[] => [...recent, probe].slice(-RECENT_PROBES);
