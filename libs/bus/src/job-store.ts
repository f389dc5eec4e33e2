import type { KV, NatsConnection } from 'nats';
import { openKv } from './nats';
import type { ErrorBody, SealedSecret } from '@cp/contracts';
import type { JobOwner } from './job-owner';
import { meterJobOperation } from '@cp/observability';

/**
 * Outcomes of async ZStack APIs, by job id (= command id), in a NATS KV bucket with a TTL, so that
 * any gateway replica can answer a poll and a repeated command id returns the first outcome.
 *
 * A service claims a job (`running`, with a lease it renews while the command runs) before it
 * decides, and records the outcome (`done`) before it replies. A claim whose lease ran out belongs
 * to a replica that died: the next attempt takes it over and first looks in the log for what the
 * dead one may have appended. The gateway writes only `pending`: a command it could not see start, or
 * one no service received (with that error and a deadline already past, so a retry still runs it).
 * Every record names its owner: only the caller
 * that started a job reads its outcome or retries it.
 */
export type JobRecord =
  /** No service has taken the job yet; past the deadline the poll answers `error` (or a timeout). */
  | { state: 'pending'; api: string; owner: JobOwner; deadline: string; error?: ErrorBody }
  | { state: 'running'; api: string; owner: JobOwner; leaseUntil: string }
  | DoneJob;

export type DoneJob =
  | {
    state: 'done'; api: string; owner: JobOwner; ok: true; result: unknown; position?: string; finishedAt: string;
    /** Secret fields of the result (catalog `secretResultFields`), sealed with the service's master key; absent from `result`. */
    sealed?: Record<string, SealedSecret>;
  }
  | { state: 'done'; api: string; owner: JobOwner; ok: false; error: ErrorBody; finishedAt: string };

export interface JobEntry {
  record: JobRecord;
  revision: number;
}

export const JOBS_BUCKET = 'zstack-jobs';
/** ZStack purges completed jobs after rest.completedApi.expiredPeriod = 10800 s. */
export const DEFAULT_JOB_TTL_MS = 10_800_000;

export class JobStore {
  private constructor(private readonly kv: KV) {}

  static async open(nc: NatsConnection, ttlMs = DEFAULT_JOB_TTL_MS): Promise<JobStore> {
    const kv = await openKv(nc, JOBS_BUCKET, { ttl: ttlMs });
    return new JobStore(kv);
  }

  async get(jobId: string): Promise<JobRecord | null> {
    return (await this.entry(jobId))?.record ?? null;
  }

  async entry(jobId: string): Promise<JobEntry | null> {
    const entry = await meterJobOperation('get', () => this.kv.get(jobId), (e) => (e?.operation === 'PUT' ? 'ok' : 'missing'));
    if (!entry || entry.operation !== 'PUT') return null;
    return { record: entry.json<JobRecord>(), revision: entry.revision };
  }

  async put(jobId: string, record: JobRecord): Promise<void> {
    await meterJobOperation('put', () => this.kv.put(jobId, JSON.stringify(record)));
  }

  /** Writes only when no record exists yet: its revision, or null when one does (someone got there first). */
  async createIfAbsent(jobId: string, record: JobRecord): Promise<number | null> {
    return meterJobOperation('create', async () => {
      try {
        return await this.kv.create(jobId, JSON.stringify(record));
      } catch (error) {
        if (await this.get(jobId)) return null;
        throw error;
      }
    }, taken);
  }

  /** Compare-and-set: writes only over `revision`; returns the new revision, or null when the record moved on. */
  async replace(jobId: string, record: JobRecord, revision: number): Promise<number | null> {
    return meterJobOperation('replace', async () => {
      try {
        return await this.kv.update(jobId, JSON.stringify(record), revision);
      } catch (error) {
        if ((await this.entry(jobId))?.revision !== revision) return null;
        throw error;
      }
    }, taken);
  }
}

/** A compare-and-set that found the record taken (or moved on) is an outcome, not an error. */
const taken = (revision: number | null) => (revision === null ? 'taken' : 'ok');
