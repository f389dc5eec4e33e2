import { DEFAULT_RESTART_POLICY, nextStep, restartPolicyFromEnv, type Run } from './restart-policy';

const policy = DEFAULT_RESTART_POLICY;

/** Runs that each lasted `runMs` and were restarted after the policy's delay, starting at 0. */
function crashes(runMs: number[]): Run[] {
  const runs: Run[] = [];
  let t = 0;
  for (const ms of runMs) {
    const run = { startedAt: t, exitedAt: t + ms };
    runs.push(run);
    const step = nextStep(runs, policy);
    t = run.exitedAt + (step.action === 'restart' ? step.delayMs : 0);
  }
  return runs;
}

describe('nextStep', () => {
  it('restarts after 0.5 s, doubling with each crash in a row', () => {
    const delays = [100_000, 20_000, 20_000, 20_000, 20_000, 20_000, 20_000].map((_, i, all) => {
      const step = nextStep(crashes(all.slice(0, i + 1)), policy);
      return step.action === 'restart' ? step.delayMs : step.action;
    });
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 16_000, 30_000]);
  });

  it('starts again from 0.5 s after a run of 60 s or more', () => {
    const runs = crashes([1000, 1000, 1000, 60_000]);
    expect(nextStep(runs, policy)).toEqual({ action: 'restart', delayMs: 500 });
    runs.push({ startedAt: runs[3].exitedAt + 500, exitedAt: runs[3].exitedAt + 1500 });
    expect(nextStep(runs, policy)).toEqual({ action: 'restart', delayMs: 1000 });
  });

  it('gives up on the 5th crash within 60 s', () => {
    const runs = crashes([2000, 2000, 2000, 2000]);
    expect(nextStep(runs, policy).action).toBe('restart');
    const last = runs[runs.length - 1];
    runs.push({ startedAt: last.exitedAt + 8000, exitedAt: last.exitedAt + 10_000 });
    expect(nextStep(runs, policy)).toEqual({ action: 'give-up', crashes: 5, windowMs: 60_000 });
  });

  it('keeps restarting a child that crashes less often than 5 times a minute', () => {
    const runs = crashes(Array.from({ length: 20 }, () => 20_000));
    expect(nextStep(runs, policy)).toEqual({ action: 'restart', delayMs: 30_000 });
  });

  it('reads its numbers from the environment', () => {
    expect(restartPolicyFromEnv({})).toEqual(DEFAULT_RESTART_POLICY);
    expect(restartPolicyFromEnv({ START_CRASH_LOOP_COUNT: '3', START_RESTART_DELAY_MS: '100' })).toMatchObject({ maxCrashes: 3, initialDelayMs: 100 });
    expect(() => restartPolicyFromEnv({ START_CRASH_LOOP_COUNT: '0' })).toThrow('START_CRASH_LOOP_COUNT');
  });
});
