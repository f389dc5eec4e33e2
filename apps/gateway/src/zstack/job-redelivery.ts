import { Logger } from '@nestjs/common';
import type { BusRequest } from '@cp/contracts';
import { BusUnanswered, type BusClient, type JobStore } from '@cp/bus';

interface Undelivered {
  subject: string;
  request: BusRequest;
  deadline: number;
}

const CHECK_EVERY_MS = 1000;
const MAX_TRACKED = 10_000;

/**
 * Commands this gateway sent that have not been seen to start: a request lost with a dying
 * nats-server, or taken by a replica that died before it claimed the job. Until the job's deadline
 * the gateway looks at each job's record every second and sends the command again (the same
 * command id, so it runs at most once) while no service holds it: a job reaches its outcome without
 * the client retrying. The requests live only in this process's memory.
 */
export class JobRedelivery {
  private readonly tracked = new Map<string, Undelivered>();
  private timer: NodeJS.Timeout | null = null;
  private checking = false;
  private readonly log = new Logger('JobRedelivery');

  constructor(private readonly bus: BusClient, private readonly jobs: JobStore, private readonly sendTimeoutMs: number) {}

  track(subject: string, request: BusRequest, deadline: number): void {
    if (this.tracked.size >= MAX_TRACKED) this.tracked.delete(this.tracked.keys().next().value as string);
    this.tracked.set(request.commandId, { subject, request, deadline });
    this.timer ??= setInterval(() => void this.check(), CHECK_EVERY_MS).unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.tracked.clear();
  }

  private async check(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      for (const [jobId, job] of [...this.tracked]) {
        if (Date.now() > job.deadline) {
          this.tracked.delete(jobId);
          continue;
        }
        const record = await this.jobs.get(jobId).catch(() => undefined);
        if (record === undefined) return; // the job store does not answer: try again on the next round
        if (record?.state === 'done') {
          this.tracked.delete(jobId);
          continue;
        }
        if (record?.state === 'running' && Date.parse(record.leaseUntil) > Date.now()) continue;
        // Tracked until its record says done: a reply may be "still running" or "the job store did not answer".
        await this.bus.request(job.subject, job.request, this.sendTimeoutMs).catch((error: unknown) => {
          if (!(error instanceof BusUnanswered)) this.log.warn(`job ${jobId} could not be sent again: ${(error as Error).message}`);
        });
      }
    } finally {
      this.checking = false;
      if (this.tracked.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = null;
      }
    }
  }
}
