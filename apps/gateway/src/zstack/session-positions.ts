import type { Context } from '@cp/contracts';

/**
 * Read-your-writes: the latest log position each session's commands produced, per context, so
 * that the session's next query waits until the service has applied it. Bounded: the least
 * recently written sessions are forgotten first (their queries then read without waiting).
 */
export class SessionPositions {
  private readonly bySession = new Map<string, Partial<Record<Context, bigint>>>();

  constructor(private readonly capacity = 100_000) {}

  record(sessionUuid: string | undefined, context: Context, position: string | undefined): void {
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
  }

  get(sessionUuid: string | undefined, context: Context): string | undefined {
    if (!sessionUuid) return undefined;
    return this.bySession.get(sessionUuid)?.[context]?.toString();
  }
}
