import { Logger } from '@nestjs/common';
import type { KV, NatsConnection } from 'nats';
import { openKv } from '@cp/bus';
import { isExpired, type SessionRecord } from '@cp/domain/identity';

export const SESSIONS_BUCKET = 'zstack-sessions';

/**
 * Sessions live in a NATS KV bucket shared by every identity-svc replica, mirrored in memory by a
 * watch (a logout on one replica reaches the others within milliseconds). Sessions are not events:
 * they expire and are renewed on every call; the log keeps what lasts.
 */
export class SessionStore {
  private readonly cache = new Map<string, SessionRecord>();
  private readonly log = new Logger('SessionStore');
  private watcher: { stop(): void } | null = null;

  private constructor(private readonly kv: KV) {}

  static async open(nc: NatsConnection): Promise<SessionStore> {
    const kv = await openKv(nc, SESSIONS_BUCKET);
    const store = new SessionStore(kv);
    await store.follow();
    return store;
  }

  private async follow(): Promise<void> {
    let initialized!: () => void;
    const ready = new Promise<void>((resolve) => (initialized = resolve));
    const iterator = await this.kv.watch({ initializedFn: () => initialized() });
    this.watcher = iterator;
    void (async () => {
      for await (const entry of iterator) {
        if (entry.operation === 'PUT') this.cache.set(entry.key, entry.json<SessionRecord>());
        else this.cache.delete(entry.key);
      }
    })().catch((error) => this.log.error(`session watch ended: ${(error as Error).message}`));
    await ready;
  }

  async get(uuid: string): Promise<SessionRecord | null> {
    const cached = this.cache.get(uuid);
    if (cached) return cached;
    if (!/^[0-9a-f]{32}$/.test(uuid)) return null;
    const entry = await this.kv.get(uuid);
    if (!entry || entry.operation !== 'PUT') return null;
    const record = entry.json<SessionRecord>();
    this.cache.set(uuid, record);
    return record;
  }

  async put(record: SessionRecord): Promise<void> {
    this.cache.set(record.uuid, record);
    await this.kv.put(record.uuid, JSON.stringify(record));
  }

  async delete(uuid: string): Promise<void> {
    this.cache.delete(uuid);
    if (/^[0-9a-f]{32}$/.test(uuid)) await this.kv.delete(uuid);
  }

  /**
   * Live sessions of one principal (identity.session.maxConcurrent): an account's own, or a virtual
   * ID's. A virtual ID's sessions carry its owner's `accountUuid`, so they are counted by `userUuid`.
   */
  countFor(userUuid: string, nowMs: number): number {
    let n = 0;
    for (const s of this.cache.values()) if (s.userUuid === userUuid && !isExpired(s, nowMs)) n++;
    return n;
  }

  /** Ends every session of a principal: an account's (its virtual IDs' included), or a virtual ID's. */
  async endSessionsOf(principalUuid: string): Promise<void> {
    const doomed = [...this.cache.values()].filter((s) => s.accountUuid === principalUuid || s.userUuid === principalUuid);
    await Promise.all(doomed.map((s) => this.delete(s.uuid)));
  }

  async sweepExpired(nowMs: number): Promise<number> {
    const expired = [...this.cache.values()].filter((s) => isExpired(s, nowMs));
    await Promise.all(expired.map((s) => this.delete(s.uuid)));
    return expired.length;
  }

  close(): void {
    this.watcher?.stop();
  }
}
