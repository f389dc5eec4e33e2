import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RestartPolicy } from './restart-policy';
import { Supervised, spawnProcess, type Running } from './supervised';

/** Supervised with real (tiny) node processes and a fast policy. */
const policy: RestartPolicy = { initialDelayMs: 20, maxDelayMs: 1000, stableAfterMs: 60_000, maxCrashes: 3, crashWindowMs: 60_000 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const alive = (pid: number) => {
  try {
    return process.kill(pid, 0);
  } catch {
    return false;
  }
};

function supervise(script: string, overrides: Partial<RestartPolicy> = {}) {
  const lines: string[] = [];
  const pids: number[] = [];
  let gaveUp = false;
  const child = new Supervised('child', async () => spawnProcess(process.execPath, ['-e', script], { stdio: 'ignore' }), {
    policy: { ...policy, ...overrides },
    say: (line) => lines.push(line),
    onStart: (pid) => pids.push(pid),
    onGiveUp: () => (gaveUp = true),
  });
  return { child, lines, pids, gaveUp: () => gaveUp };
}

async function waitFor(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(10);
  }
}

it('restarts a child that exits, with backoff, and gives up on a crash loop', async () => {
  const s = supervise('process.exit(3)');
  await s.child.start();
  await waitFor(s.gaveUp);
  expect(s.lines).toEqual([
    'child exited (code 3); restarting in 0.02 s (restart 1)',
    expect.stringMatching(/^child restarted \(pid \d+\)$/),
    'child exited (code 3); restarting in 0.04 s (restart 2)',
    expect.stringMatching(/^child restarted \(pid \d+\)$/),
    'child exited (code 3); that is 3 crashes within 60 s: crash loop, giving up',
  ]);
  expect(s.pids).toHaveLength(3);
});

it('SIGKILLs a child that ignores SIGTERM once the stop bound has passed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cp-supervised-'));
  const ready = join(dir, 'ready');
  const s = supervise(`process.on('SIGTERM', () => {}); require('fs').writeFileSync(${JSON.stringify(ready)}, ''); setInterval(() => {}, 1000)`);
  const running: Running = await s.child.start();
  await waitFor(() => existsSync(ready)); // its SIGTERM handler is in place
  rmSync(dir, { recursive: true });
  const started = Date.now();
  await s.child.stop(200);
  expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  expect(await running.exited).toEqual({ code: null, signal: 'SIGKILL' });
  expect(s.lines).toEqual(['child did not stop within 0.2 s; killing it']);
});

it('starts nothing more once stopped while a restart is pending', async () => {
  const s = supervise('process.exit(1)', { initialDelayMs: 200 });
  await s.child.start();
  await waitFor(() => s.lines.length === 1);
  await s.child.stop(1000);
  await sleep(400);
  expect(s.pids).toHaveLength(1);
  expect(s.lines).toEqual(['child exited (code 1); restarting in 0.2 s (restart 1)']);
});

it('kill ends a running child at once, and it stays dead', async () => {
  const s = supervise('setInterval(() => {}, 1000)');
  const running = await s.child.start();
  await s.child.kill();
  expect(alive(running.pid)).toBe(false);
  expect(await running.exited).toEqual({ code: null, signal: 'SIGKILL' });
  await sleep(100);
  expect(s.pids).toHaveLength(1);
  expect(s.lines).toEqual([]);
});

it('counts a failed launch as a crash', async () => {
  let launches = 0;
  const lines: string[] = [];
  const child = new Supervised('flaky', async () => {
    launches++;
    if (launches > 1) throw new Error('no port');
    return spawnProcess(process.execPath, ['-e', 'process.exit(1)'], { stdio: 'ignore' });
  }, { policy, say: (line) => lines.push(line), onStart: () => undefined, onGiveUp: () => undefined });
  await child.start();
  await waitFor(() => lines.some((l) => l.includes('giving up')));
  expect(lines).toEqual([
    'flaky exited (code 1); restarting in 0.02 s (restart 1)',
    'flaky failed to start: no port; restarting in 0.04 s (restart 2)',
    'flaky failed to start: no port; that is 3 crashes within 60 s: crash loop, giving up',
  ]);
});
