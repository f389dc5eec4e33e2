import { randomUUID } from 'node:crypto';
import type { KV, NatsConnection } from 'nats';
import { openKv } from '@cp/bus';

export const LEASE_BUCKET = 'platform-monitor-lease';
const KEY = 'holder';

/**
 * Leader election for the health monitor: one key in a KV bucket whose entries expire after `ttlMs`
 * (file-backed, so the bucket outlives a nats-server restart).
 * The holder renews it (compare-and-set on its revision) every `ttlMs / 3`; the others try to create
 * it, which succeeds only once it has expired. So exactly one replica probes at a time, and another
 * takes over within `ttlMs` of the holder's death. A renewal that loses the race means the lease is gone.
 */
export class MonitorLease {
  readonly id = randomUUID();
  private revision: number | null = null;

  private constructor(private readonly kv: KV) {}

  static async open(nc: NatsConnection, ttlMs: number): Promise<MonitorLease> {
    const kv = await openKv(nc, LEASE_BUCKET, { ttl: ttlMs });
    return new MonitorLease(kv);
  }

  get held(): boolean {
    return this.revision !== null;
  }

  /** Renews the lease or takes it if free; whether this replica holds it now. */
  async tick(): Promise<boolean> {
    try {
      this.revision = this.revision === null
        ? await this.kv.create(KEY, this.id)
        : await this.kv.update(KEY, this.id, this.revision);
    } catch {
      this.revision = null;
    }
    return this.held;
  }

  /** Gives the lease up at once (shutdown), so another replica need not wait for it to expire. */
  async release(): Promise<void> {
    if (this.revision === null) return;
    const revision = this.revision;
    this.revision = null;
    try {
      await this.kv.delete(KEY, { previousSeq: revision });
    } catch {
      // Someone else holds it already.
    }
  }
}
