import { createHash } from 'node:crypto';
import type { KV, NatsConnection } from 'nats';
import { openKv } from '@cp/bus';
import type { LockoutRecord } from '@cp/domain/identity';

export const LOCKOUT_BUCKET = 'zstack-login-lockout';

/**
 * Failed-login records in a NATS KV bucket shared by every identity-svc replica, so a lock holds
 * whichever replica an attacker reaches: one per login name and source address (`source` given), and
 * one per login name across all addresses (no `source`; the key records had before addresses were
 * counted). Updates are compare-and-set on the entry's revision: concurrent failures on two replicas
 * are both counted.
 */
export class LoginLockoutStore {
  private constructor(private readonly kv: KV) {}

  static async open(nc: NatsConnection): Promise<LoginLockoutStore> {
    return new LoginLockoutStore(await openKv(nc, LOCKOUT_BUCKET));
  }

  /** Names and addresses become hashes: any text is a valid login name, and the bucket need not hold either. */
  private key(kind: string, name: string, source?: string): string {
    const byName = `${kind}.${sha256(name)}`;
    return source === undefined ? byName : `${byName}.${sha256(`source:${source}`).slice(0, 32)}`;
  }

  async get(kind: string, name: string, source?: string): Promise<LockoutRecord | null> {
    const entry = await this.kv.get(this.key(kind, name, source));
    return entry && entry.operation === 'PUT' ? entry.json<LockoutRecord>() : null;
  }

  async update(
    kind: string, name: string, source: string | undefined, change: (current: LockoutRecord | null) => LockoutRecord,
  ): Promise<LockoutRecord> {
    const key = this.key(kind, name, source);
    for (let attempt = 0; ; attempt++) {
      const entry = await this.kv.get(key);
      const current = entry && entry.operation === 'PUT' ? entry.json<LockoutRecord>() : null;
      const next = change(current);
      try {
        if (entry) await this.kv.update(key, JSON.stringify(next), entry.revision);
        else await this.kv.create(key, JSON.stringify(next));
        return next;
      } catch (error) {
        if (attempt >= 10) throw error;
      }
    }
  }

  async clear(kind: string, name: string, source?: string): Promise<void> {
    await this.kv.delete(this.key(kind, name, source));
  }
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
