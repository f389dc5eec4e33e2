import { describeExit, signalProcess, stopProcess, type Running } from '@cp/testing';
import { nextStep, type RestartPolicy, type Run } from './restart-policy';

// The process plumbing is the one every launcher shares (libs/testing); the restart policy is npm start's own.
export { describeExit, spawnProcess, type Exit, type Running } from '@cp/testing';

export interface SupervisedOptions {
  policy: RestartPolicy;
  say: (line: string) => void;
  /** Each time a process starts, with its pid (the launcher records them in DATA_DIR/pids.json). */
  onStart: (pid: number) => void;
  /** Called once on a crash loop: the launcher then stops everything. */
  onGiveUp: () => void;
}

/**
 * One child of `npm start`, restarted by `policy` when it exits on its own. `start` launches it
 * the first time (a failure there is the caller's to report); `stop` and `kill` end it for good.
 */
export class Supervised {
  private current: Running | null = null;
  /** The launch in progress, so that a stop arriving meanwhile can wait for the pid to end it. */
  private launching: Promise<Running | null> | null = null;
  private restartTimer: NodeJS.Timeout | null = null;
  private runs: Run[] = [];
  private restarts = 0;
  private ended = false;

  constructor(
    readonly name: string,
    private readonly launch: () => Promise<Running>,
    private readonly options: SupervisedOptions,
  ) {}

  async start(): Promise<Running> {
    const startedAt = Date.now();
    // Watched before `launching` is cleared, so that a stop always finds the process one way or the other.
    const launching = this.launch().then((running) => {
      this.watch(running, startedAt);
      return running;
    });
    this.launching = launching.catch(() => null);
    try {
      return await launching;
    } finally {
      this.launching = null;
    }
  }

  /** No more restarts from now on: the launcher is stopping (a child dying now must stay dead). */
  endRestarts(): void {
    this.ended = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
  }

  /** SIGTERM, then SIGKILL if still running after `timeoutMs`; resolves once the process is gone. */
  async stop(timeoutMs: number): Promise<void> {
    this.endRestarts();
    const running = this.current ?? (await this.launching);
    if (!running) return;
    await stopProcess(running, timeoutMs, { onKill: () => this.options.say(`${this.name} did not stop within ${timeoutMs / 1000} s; killing it`) });
  }

  /** SIGKILL now (a second Ctrl-C); a launch in progress is killed as soon as its pid is known. */
  async kill(): Promise<void> {
    this.endRestarts();
    const running = this.current ?? (await this.launching);
    if (!running) return;
    signalProcess(running.pid, 'SIGKILL');
    await running.exited;
  }

  private watch(running: Running, startedAt: number): void {
    this.current = running;
    this.options.onStart(running.pid);
    void running.exited.then((exit) => {
      this.current = null;
      if (!this.ended) this.crashed({ startedAt, exitedAt: Date.now() }, `exited (${describeExit(exit)})`);
    });
  }

  /** `what` says how the run ended: "exited (SIGKILL)", "failed to start: ...". */
  private crashed(run: Run, what: string): void {
    // The policy looks at most at the last few runs: the backoff is capped long before 50 in a row.
    this.runs = [...this.runs, run].slice(-50);
    const step = nextStep(this.runs, this.options.policy);
    if (step.action === 'give-up') {
      this.options.say(`${this.name} ${what}; that is ${step.crashes} crashes within ${step.windowMs / 1000} s: crash loop, giving up`);
      this.endRestarts();
      this.options.onGiveUp();
      return;
    }
    this.restarts++;
    this.options.say(`${this.name} ${what}; restarting in ${step.delayMs / 1000} s (restart ${this.restarts})`);
    this.restartTimer = setTimeout(() => void this.restart(), step.delayMs);
  }

  private async restart(): Promise<void> {
    this.restartTimer = null;
    const startedAt = Date.now();
    try {
      const running = await this.start();
      if (!this.ended) this.options.say(`${this.name} restarted (pid ${running.pid})`);
    } catch (error) {
      // A failed launch (nats-server exiting at start) is one more crash.
      if (!this.ended) this.crashed({ startedAt, exitedAt: Date.now() }, `failed to start: ${(error as Error).message}`);
    }
  }
}
