import { randomUUID } from 'node:crypto';
import { ZStackClient, newJobId, type HttpResult } from '../support/zstack-client';

/** One UpdateAccount a writer sent, and what became of it. */
export interface Write {
  jobId: string;
  account: string;
  description: string;
  /** When the client had the final 200 (acknowledged), ms since the epoch. */
  ackedAt?: number;
  /** The final answer's status, or the last error text when none came within the deadline. */
  outcome?: number | string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Clients that keep updating accounts through the gateways, as a load balancer's clients would: a
 * request that cannot reach a gateway (refused, reset) goes to the other one with the same
 * X-Job-UUID (safe: the job id is the command id), a 202 is polled to its outcome, and a write is
 * given `deadlineMs` to be acknowledged. 127.0.0.1 only; stops when told.
 */
export class Writers {
  readonly writes: Write[] = [];
  private running = false;
  private workers: Promise<void>[] = [];
  private seq = 0;

  constructor(
    private readonly gateways: string[],
    private readonly session: string,
    private readonly accounts: string[],
    private readonly deadlineMs = 30_000,
  ) {}

  start(concurrency: number): void {
    this.running = true;
    this.workers = Array.from({ length: concurrency }, () => this.work());
  }

  /** Stops sending new writes; resolves once every write sent has its outcome. */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.workers);
  }

  get acknowledged(): Write[] {
    return this.writes.filter((w) => w.ackedAt !== undefined);
  }

  get failed(): Write[] {
    return this.writes.filter((w) => w.outcome !== undefined && w.outcome !== 200);
  }

  /** The longest time without an acknowledgement, from `from` on (ms): the gap a fault caused. */
  longestGapAfter(from: number): number {
    const times = [from, ...this.acknowledged.map((w) => w.ackedAt!).filter((t) => t >= from).sort((a, b) => a - b)];
    let gap = 0;
    for (let i = 1; i < times.length; i++) gap = Math.max(gap, times[i] - times[i - 1]);
    return gap;
  }

  private async work(): Promise<void> {
    while (this.running) {
      const n = this.seq++;
      const write: Write = { jobId: newJobId(), account: this.accounts[n % this.accounts.length], description: `w-${n}-${randomUUID().slice(0, 8)}` };
      this.writes.push(write);
      await this.send(write, n);
    }
  }

  private async send(write: Write, n: number): Promise<void> {
    const deadline = Date.now() + this.deadlineMs;
    let attempt = 0;
    for (;;) {
      const client = new ZStackClient(this.gateways[(n + attempt) % this.gateways.length], this.session);
      try {
        let r: HttpResult = await client.send('PUT', `/zstack/v1/accounts/${write.account}`, {
          body: { updateAccount: { description: write.description } }, headers: { 'X-Job-UUID': write.jobId }, timeoutMs: 15_000,
        });
        while (r.status === 202 && Date.now() < deadline) {
          await sleep(100);
          r = await client.send('GET', `/zstack/v1/api-jobs/${write.jobId}`, { timeoutMs: 5000 });
        }
        // A gateway without NATS for a moment answers 503 with a retryable error: the same job id again.
        if (r.status === 200 || Date.now() >= deadline || !retryable(r)) {
          write.outcome = r.status === 200 ? 200 : `${r.status} ${r.json?.error?.code ?? ''} ${r.json?.error?.details ?? r.text}`.slice(0, 300);
          if (r.status === 200) write.ackedAt = Date.now();
          return;
        }
      } catch (error) {
        if (Date.now() >= deadline) {
          write.outcome = (error as Error).message;
          return;
        }
      }
      attempt++;
      await sleep(Math.min(50 * attempt, 500));
    }
  }
}

/** Answers that say "not now" (the bus or a service unavailable, a timeout), not "no". */
function retryable(r: HttpResult): boolean {
  const code = r.json?.error?.code as string | undefined;
  return r.status === 202 || r.status === 502 || r.status === 504 || (r.status === 503 && (code === 'SYS.1001' || code === undefined));
}
