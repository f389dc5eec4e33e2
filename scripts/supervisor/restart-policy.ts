import { envInt } from '@cp/config';

/**
 * When `npm start` restarts a child that exited on its own, and when it gives up. Pure: the
 * supervisor keeps the history of a child's unexpected exits and asks `nextStep` after each one.
 */
export interface RestartPolicy {
  /** Wait before the first restart; it doubles with each crash in a row... */
  initialDelayMs: number;
  /** ...up to this. */
  maxDelayMs: number;
  /** A run at least this long counts as stable: the next crash starts again from `initialDelayMs`. */
  stableAfterMs: number;
  /** This many crashes within `crashWindowMs` is a crash loop: restarting will not help, give up. */
  maxCrashes: number;
  crashWindowMs: number;
}

/**
 * 0.5 s doubling to 30 s, reset after 60 s of stable running; 5 crashes within 60 s is a crash loop.
 * A child that fails at start-up (about 2 s per try for our apps) reaches 5 crashes in ~15 s and the
 * launcher stops, rather than retrying a broken configuration forever; one that crashes once in a
 * while is restarted within a second.
 */
export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  initialDelayMs: 500,
  maxDelayMs: 30_000,
  stableAfterMs: 60_000,
  maxCrashes: 5,
  crashWindowMs: 60_000,
};

/** The policy with the operator's overrides: START_RESTART_DELAY_MS, START_RESTART_MAX_DELAY_MS, START_STABLE_AFTER_MS, START_CRASH_LOOP_COUNT, START_CRASH_LOOP_WINDOW_MS. */
export function restartPolicyFromEnv(env: Record<string, string | undefined>): RestartPolicy {
  const d = DEFAULT_RESTART_POLICY;
  return {
    initialDelayMs: envInt(env, 'START_RESTART_DELAY_MS', d.initialDelayMs, 0, 3_600_000),
    maxDelayMs: envInt(env, 'START_RESTART_MAX_DELAY_MS', d.maxDelayMs, 0, 3_600_000),
    stableAfterMs: envInt(env, 'START_STABLE_AFTER_MS', d.stableAfterMs, 0, 86_400_000),
    maxCrashes: envInt(env, 'START_CRASH_LOOP_COUNT', d.maxCrashes, 1, 1000),
    crashWindowMs: envInt(env, 'START_CRASH_LOOP_WINDOW_MS', d.crashWindowMs, 0, 86_400_000),
  };
}

/** One run of a child that ended unexpectedly (epoch milliseconds). */
export interface Run {
  startedAt: number;
  exitedAt: number;
}

export type Step =
  | { action: 'restart'; delayMs: number }
  | { action: 'give-up'; crashes: number; windowMs: number };

/** What to do after the last of `runs` (oldest first, not empty) ended. */
export function nextStep(runs: readonly Run[], policy: RestartPolicy): Step {
  const last = runs[runs.length - 1];
  const recent = runs.filter((r) => r.exitedAt > last.exitedAt - policy.crashWindowMs).length;
  if (recent >= policy.maxCrashes) return { action: 'give-up', crashes: recent, windowMs: policy.crashWindowMs };
  // Crashes in a row: counted back from the last one, up to and including the first that ended a stable run.
  let inARow = 0;
  for (let i = runs.length - 1; i >= 0; i--) {
    inARow++;
    if (runs[i].exitedAt - runs[i].startedAt >= policy.stableAfterMs) break;
  }
  // 2 ** 30 already exceeds any sane cap; the bound keeps the power finite for long histories.
  const delayMs = Math.min(policy.initialDelayMs * 2 ** Math.min(inARow - 1, 30), policy.maxDelayMs);
  return { action: 'restart', delayMs };
}
