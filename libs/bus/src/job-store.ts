import { StorageType, type KV, type NatsConnection } from 'nats';
import type { ErrorBody } from '@cp/contracts';

/**
 * Outcomes of async ZStack APIs, by job id (= command id), in a NATS KV bucket with a TTL, so that
 * any gateway replica can answer a poll and a repeated command id returns the first outcome.
 * Written by the service that ran the command; the gateway writes only `pending` (a command it
 * could not see finish) and the outcome of a command no service received.
 */
export type JobRecord =
  | { state: 'pending'; api: string; deadline: string }
  | { state: 'done'; api: string; ok: true; result: unknown; position?: string; sessionUuid?: string; finishedAt: string }
  | { state: 'done'; api: string; ok: false; error: ErrorBody; finishedAt: string };

export const JOBS_BUCKET = 'zstack-jobs';
/** ZStack purges completed jobs after rest.completedApi.expiredPeriod = 10800 s. */
export const DEFAULT_JOB_TTL_MS = 10_800_000;

export class JobStore {
  private constructor(private readonly kv: KV) {}

  static async open(nc: NatsConnection, ttlMs = DEFAULT_JOB_TTL_MS): Promise<JobStore> {
    const kv = await nc.jetstream().views.kv(JOBS_BUCKET, { ttl: ttlMs, history: 1, storage: StorageType.File });
    return new JobStore(kv);
  }

  async get(jobId: string): Promise<JobRecord | null> {
    const entry = await this.kv.get(jobId);
    if (!entry || entry.operation !== 'PUT') return null;
    return entry.json<JobRecord>();
  }

  async put(jobId: string, record: JobRecord): Promise<void> {
    await this.kv.put(jobId, JSON.stringify(record));
  }

  /** Writes only when no record exists yet; returns false when one does (the service got there first). */
  async createIfAbsent(jobId: string, record: JobRecord): Promise<boolean> {
    try {
      await this.kv.create(jobId, JSON.stringify(record));
      return true;
    } catch (error) {
      if (await this.get(jobId)) return false;
      throw error;
    }
  }
}
