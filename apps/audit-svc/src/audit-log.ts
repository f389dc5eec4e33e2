import { isAdmin, notFound, type Caller, type Context } from '@cp/contracts';
import { positionToString, type EventStore, type StoredEvent } from '@cp/event-store';
import type { AsOf, EventFilter } from './audit-input';
import { OwnershipIndex } from './ownership-index';
import { categoryOfType, kindOfCategory, LOGIN_CATEGORY, typeOfCategory } from './resource-kinds';

/** One event as the Audit API shows it. */
export interface AuditEvent {
  position: string;
  streamId: string;
  resourceType: string;
  resourceUuid: string;
  type: string;
  schemaVersion: number;
  occurredAt: string;
  actor: { accountUuid: string | null; via: string };
  commandId: string;
  correlationId: string;
  data: Record<string, unknown>;
}

export interface AuditPage {
  events: AuditEvent[];
  /** Where the next page starts (`after`), or null at the end of the log. */
  next: string | null;
}

/** How many events one page may look at before it answers with what it has and a `next` to go on from. */
export const SCAN_BUDGET = 20_000;
const READ_BATCH = 1000;

/** Password hashes are kept in events (the login model is rebuilt from them) but never shown. */
export function redact<T>(value: T): T {
  if (Array.isArray(value)) return value.map(redact) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'passwordHash' ? '[redacted]' : redact(v)])) as T;
  }
  return value;
}

/**
 * The Audit API over the log itself: pages of events by position, a resource's history, and its
 * inventory as of a time or position, each folded with the owning domain's own `evolve`. Reads go
 * to the event store (every context, upcast to current shapes); the only state kept is the
 * ownership index, for what a normal account may see.
 */
export class AuditLog {
  constructor(
    private readonly all: EventStore,
    private readonly byContext: Readonly<Record<Context, EventStore>>,
    private readonly owners: OwnershipIndex,
  ) {}

  /** Closes every store it reads (EventStoreDB: their gRPC channels). */
  async close(): Promise<void> {
    await Promise.all([this.all, ...Object.values(this.byContext)].map((store) => store.close()));
  }

  /**
   * Whether `caller` may read the events of this resource: the admin, or the account that owns it
   * (an IAM2 virtual ID acts within the admin account but owns nothing, so it reads none of the admin's).
   */
  private mayRead(caller: Caller, uuid: string): boolean {
    return isAdmin(caller) || (this.owners.get(uuid)?.owner ?? null) === caller.userUuid;
  }

  async page(filter: EventFilter, caller: Caller, signal?: AbortSignal): Promise<AuditPage> {
    const keep = (e: StoredEvent) =>
      (filter.eventType === undefined || e.type === filter.eventType) &&
      (filter.accountUuid === undefined || e.metadata.actor.accountUuid === filter.accountUuid) &&
      (filter.from === undefined || Date.parse(e.metadata.occurredAt) >= filter.from.getTime()) &&
      (filter.to === undefined || Date.parse(e.metadata.occurredAt) <= filter.to.getTime()) &&
      this.mayRead(caller, String(e.data.uuid ?? '')) &&
      (!isLogin(e) || isAdmin(caller));
    if (filter.resourceUuid !== undefined) return this.pageOfResource(filter, keep);

    const category = filter.resourceType === undefined ? undefined : categoryOfType(filter.resourceType);
    let from = filter.after ?? null;
    // The adapter's search by time when it has one (JetStream); otherwise the scan starts at the beginning.
    if (filter.from && filter.after === undefined && this.all.firstPositionAtOrAfter) {
      // A little before: store times trail `occurredAt` by the append's own time.
      const first = await this.all.firstPositionAtOrAfter(new Date(filter.from.getTime() - 5000));
      if (first === null) return { events: [], next: null };
      from = first - 1n;
    }
    const events: AuditEvent[] = [];
    let scanned = 0;
    // Read what one page needs first (every event may match), more when the filters drop some.
    let want = filter.limit;
    for (;;) {
      if (signal?.aborted) break;
      const size = Math.min(READ_BATCH, want);
      want *= 2;
      const batch = await this.all.readAll(from, { filter: category ? { categories: [category] } : undefined, limit: size });
      for (const e of batch) {
        from = e.position;
        scanned++;
        if (keep(e)) events.push(view(e));
        if (events.length === filter.limit) return { events, next: positionToString(e.position) };
      }
      if (batch.length < size) return { events, next: null };
      if (scanned >= SCAN_BUDGET) return { events, next: positionToString(from) };
    }
    return { events, next: positionToString(from) };
  }

  private async pageOfResource(filter: EventFilter, keep: (e: StoredEvent) => boolean): Promise<AuditPage> {
    const stream = await this.streamOf(filter.resourceUuid!);
    if (!stream || (filter.resourceType !== undefined && typeOfCategory(stream.category) !== filter.resourceType)) return { events: [], next: null };
    const after = filter.after ?? -1n;
    const matching = stream.events.filter((e) => e.position > after && keep(e));
    const events = matching.slice(0, filter.limit).map(view);
    return { events, next: matching.length > filter.limit ? events[events.length - 1].position : null };
  }

  /** Every event of a resource with the inventory as it stood after each. */
  async history(uuid: string, caller: Caller): Promise<{ history: Array<Omit<AuditEvent, 'data' | 'streamId' | 'resourceUuid' | 'resourceType' | 'schemaVersion' | 'commandId' | 'correlationId'> & { inventory?: unknown }> }> {
    const stream = await this.visibleStream(uuid, caller);
    const kind = kindOfCategory(stream.category)!;
    let state: unknown = null;
    return {
      history: stream.events.map((e) => {
        state = kind.evolve(state, e);
        const inventory = kind.inventoryOf(state);
        return {
          position: positionToString(e.position)!, type: e.type, occurredAt: e.metadata.occurredAt, actor: e.metadata.actor,
          ...(inventory ? { inventory: redact(inventory) } : {}),
        };
      }),
    };
  }

  /** The inventory as it stood at a time or position (inclusive); 404 when it did not exist then. */
  async asOf(uuid: string, at: AsOf, caller: Caller): Promise<{ inventory: unknown; position: string }> {
    const stream = await this.visibleStream(uuid, caller);
    const kind = kindOfCategory(stream.category)!;
    let state: unknown = null;
    let last: StoredEvent | null = null;
    for (const e of stream.events) {
      if ('position' in at ? e.position > at.position : Date.parse(e.metadata.occurredAt) > at.time.getTime()) break;
      state = kind.evolve(state, e);
      last = e;
    }
    const inventory = kind.inventoryOf(state);
    if (!last || !inventory) throw notFound(`resource[uuid:${uuid}] did not exist then`);
    return { inventory: redact(inventory), position: positionToString(last.position)! };
  }

  private async visibleStream(uuid: string, caller: Caller) {
    const stream = this.owners.get(uuid) && this.mayRead(caller, uuid) ? await this.streamOf(uuid) : null;
    if (!stream || !kindOfCategory(stream.category)) throw notFound(`resource[uuid:${uuid}] not found in the log`);
    return stream;
  }

  private async streamOf(uuid: string): Promise<{ category: string; events: StoredEvent[] } | null> {
    const entry = this.owners.get(uuid);
    if (!entry) return null;
    const kind = kindOfCategory(entry.category);
    if (!kind) return null;
    const { events } = await this.byContext[kind.context].readStream(`${entry.category}-${uuid}`);
    return { category: entry.category, events };
  }
}

const isLogin = (e: StoredEvent) => e.streamId.startsWith(`${LOGIN_CATEGORY}-`);

function view(e: StoredEvent): AuditEvent {
  const dash = e.streamId.indexOf('-');
  const category = e.streamId.slice(0, dash);
  return {
    position: positionToString(e.position)!, streamId: e.streamId, resourceType: typeOfCategory(category),
    resourceUuid: e.streamId.slice(dash + 1), type: e.type, schemaVersion: e.schemaVersion, occurredAt: e.metadata.occurredAt,
    actor: e.metadata.actor, commandId: e.metadata.commandId, correlationId: e.metadata.correlationId, data: redact(e.data),
  };
}
