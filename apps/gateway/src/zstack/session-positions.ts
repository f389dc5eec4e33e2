import { createHash } from 'node:crypto';
import type { KV } from 'nats';
import type { Context } from '@cp/contracts';

type Positions = Partial<Record<Context, string>>;

/** The KV bucket where gateways share their sessions' positions (SHARED_SESSION_POSITIONS). */
export const SESSION_POSITIONS_BUCKET = 'session-positions';

/**
 * Read-your-writes: the latest log position each session's commands produced, per context, so
 * that the session's next query waits until the service has applied it. Bounded: the least
 * recently written sessions are forgotten first (their queries then read without waiting).
 *
 * With several gateways (SHARED_SESSION_POSITIONS), a write's position is also merged into the
 * `session-positions` KV bucket before the write is answered, and a query reads it there (one round
 * trip to the bucket's leader), so a query through another gateway than the write's sees it too.
 * Keys are hashes of the session ids.
 */
export class SessionPositions {
  private readonly bySession = new Map<string, Partial<Record<Context, bigint>>>();

  constructor(private readonly capacity = 100_000, private readonly shared: KV | null = null) {}

  async record(sessionUuid: string | undefined, context: Context, position: string | undefined): Promise<void> {
    if (!sessionUuid || !position) return;
    const p = BigInt(position);
    const entry = this.bySession.get(sessionUuid) ?? {};
    this.bySession.delete(sessionUuid);
    const known = entry[context];
    entry[context] = known === undefined || p > known ? p : known;
    this.bySession.set(sessionUuid, entry);
    if (this.bySession.size > this.capacity) {
      const oldest = this.bySession.keys().next().value;
      if (oldest !== undefined) this.bySession.delete(oldest);
    }
    if (this.shared) await this.share(sessionUuid, context, p);
  }

  async get(sessionUuid: string | undefined, context: Context): Promise<string | undefined> {
    if (!sessionUuid) return undefined;
    const local = this.bySession.get(sessionUuid)?.[context];
    if (!this.shared) return local?.toString();
    const entry = await this.shared.get(keyOf(sessionUuid)).catch(() => null);
    const text = entry?.operation === 'PUT' ? entry.json<Positions>()[context] : undefined;
    const remote = text === undefined ? undefined : BigInt(text);
    const highest = local === undefined ? remote : remote === undefined || local > remote ? local : remote;
    return highest?.toString();
  }

  /**
   * Merges `position` into the session's shared entry (compare-and-set: two gateways may write at
   * once). The write is already stored: when the bucket cannot be reached (a leader election) it is
   * tried again for a while, then given up (the query through another gateway may then not wait for
   * it) rather than failing the write's reply.
   */
  private async share(sessionUuid: string, context: Context, position: bigint): Promise<void> {
    const kv = this.shared!;
    const key = keyOf(sessionUuid);
    const deadline = Date.now() + SHARE_DEADLINE_MS;
    for (let attempt = 0; Date.now() < deadline; attempt++) {
      try {
        const entry = await kv.get(key);
        const current: Positions = entry?.operation === 'PUT' ? entry.json<Positions>() : {};
        if (current[context] !== undefined && BigInt(current[context]!) >= position) return;
        const next = JSON.stringify({ ...current, [context]: position.toString() });
        if (entry) await kv.update(key, next, entry.revision);
        else await kv.create(key, next);
        return;
      } catch {
        // Another gateway wrote first (merge again), or the bucket has no leader for a moment.
        await new Promise((resolve) => setTimeout(resolve, Math.min(500, 20 * 2 ** attempt)));
      }
    }
  }
}

/** How long a write's position is offered to the shared bucket before it is given up. */
const SHARE_DEADLINE_MS = 5000;

const keyOf = (sessionUuid: string) => createHash('sha256').update(sessionUuid).digest('hex');
