import type { HealthHistoryEntry, HealthStatus } from './types';

/** The health levels, top to bottom on the chart. */
export const LEVELS: readonly HealthStatus[] = ['healthy', 'degraded', 'unhealthy'];

export interface HealthSegment {
  from: number;
  to: number;
  health: HealthStatus;
}

export interface StatusMark {
  at: number;
  status: string;
  reason: string;
}

export interface HealthTimeline {
  start: number;
  end: number;
  segments: HealthSegment[];
  statusMarks: StatusMark[];
}

const time = (text: string) => new Date(text).getTime();

/**
 * GetPlatformHealthHistory's entries as a step line: each health lasts until the next health change
 * (the last one until `now`); status changes as marks. Entries without a parsable time are left out.
 */
export function healthTimeline(history: readonly HealthHistoryEntry[], now: number): HealthTimeline | null {
  const entries = history.filter((e) => !Number.isNaN(time(e.at))).sort((a, b) => time(a.at) - time(b.at));
  if (entries.length === 0) return null;
  const start = time(entries[0].at);
  const end = Math.max(now, time(entries[entries.length - 1].at), start + 1000);
  const healths = entries.filter((e) => e.healthStatus && LEVELS.includes(e.healthStatus));
  const segments = healths.map((e, i) => ({
    from: time(e.at),
    to: i + 1 < healths.length ? time(healths[i + 1].at) : end,
    health: e.healthStatus!,
  }));
  const statusMarks = entries.filter((e) => e.status !== undefined).map((e) => ({ at: time(e.at), status: e.status!, reason: e.reason }));
  return { start, end, segments, statusMarks };
}
