import { Logger } from '@nestjs/common';
import type { KV, NatsConnection } from 'nats';
import { openKv } from '@cp/bus';
import type { ProbeRecord } from '@cp/contracts';
import { countersAfter, withProbe, type ProbeCounters } from '@cp/domain/platform';

export const PROBES_BUCKET = 'platform-probes';

export interface ProbeEntry {
  counters: ProbeCounters;
  /** The last few probes, oldest first (health.rules judges them). */
  recent: ProbeRecord[];
}

/**
 * Every probe's counters (successCount, errorCount, last success and error) and the recent probes,
 * in a KV bucket shared by the replicas and mirrored in memory by a watch. A probe that changes
 * nothing is counted here only; one that changes health or status is also an event.
 */
export class ProbeStore {
  private readonly cache = new Map<string, ProbeEntry>();
  private readonly log = new Logger('ProbeStore');
  private watcher: { stop(): void } | null = null;

  private constructor(private readonly kv: KV) {}

  static async open(nc: NatsConnection): Promise<ProbeStore> {
    const kv = await openKv(nc, PROBES_BUCKET);
    const store = new ProbeStore(kv);
    let initialized!: () => void;
    const ready = new Promise<void>((resolve) => (initialized = resolve));
    const iterator = await kv.watch({ initializedFn: () => initialized() });
    store.watcher = iterator;
    void (async () => {
      for await (const entry of iterator) {
        if (entry.operation === 'PUT') store.cache.set(entry.key, entry.json<ProbeEntry>());
        else store.cache.delete(entry.key);
      }
    })().catch((error) => store.log.error(`probe watch ended: ${(error as Error).message}`));
    await ready;
    return store;
  }

  get(uuid: string): ProbeEntry | undefined {
    return this.cache.get(uuid);
  }

  /** Counts one more probe; the entry after it. */
  async record(uuid: string, probe: ProbeRecord): Promise<ProbeEntry> {
    const current = this.cache.get(uuid);
    const next: ProbeEntry = { counters: countersAfter(current?.counters, probe), recent: withProbe(current?.recent ?? [], probe) };
    this.cache.set(uuid, next);
    await this.kv.put(uuid, JSON.stringify(next));
    return next;
  }

  async delete(uuid: string): Promise<void> {
    this.cache.delete(uuid);
    await this.kv.purge(uuid);
  }

  close(): void {
    this.watcher?.stop();
  }
}
