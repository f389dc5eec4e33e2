import type {
  AppendOptions, AppendResult, EventStore, ExpectedVersion, NewEvent, ReadStreamOptions, ReadStreamResult, StoredEvent, StreamFilter, SubscribeOptions, Subscription,
} from './port';

/** Turns one event type's data from `from` to `from + 1`. Pure; never fails on data it was written for. */
export interface Upcaster {
  type: string;
  from: number;
  up(data: Record<string, unknown>): Record<string, unknown>;
}

/**
 * Event schema versions: the version each event type is written at now, and the upcasters that bring
 * older versions up to it when read. Events are never rewritten in the log: a five-year-old event is
 * read through every upcaster since.
 */
export class EventVersions {
  private readonly casters = new Map<string, Upcaster>();

  constructor(private readonly current: Readonly<Record<string, number>>, upcasters: readonly Upcaster[]) {
    for (const caster of upcasters) {
      const key = `${caster.type}@${caster.from}`;
      if (this.casters.has(key)) throw new Error(`two upcasters for ${key}`);
      this.casters.set(key, caster);
    }
    for (const [type, version] of Object.entries(current)) {
      for (let v = 1; v < version; v++) {
        if (!this.casters.has(`${type}@${v}`)) throw new Error(`${type} is at version ${version} but has no upcaster from ${v}`);
      }
    }
  }

  /** The version `type` is written at (1 unless declared). */
  currentOf(type: string): number {
    return this.current[type] ?? 1;
  }

  /** The event in its current shape (the same object when it already is). */
  upcast(event: StoredEvent): StoredEvent {
    let { data, schemaVersion } = event;
    const target = this.currentOf(event.type);
    while (schemaVersion < target) {
      const caster = this.casters.get(`${event.type}@${schemaVersion}`)!;
      data = caster.up(data);
      schemaVersion++;
    }
    return schemaVersion === event.schemaVersion ? event : { ...event, data, schemaVersion };
  }
}

/**
 * The event store as the domain sees it: appends stamp each event with its type's current schema
 * version; every read (streams, the log, subscriptions) hands out events upcast to it. The adapters
 * below store and return what was written, untouched.
 */
export class UpcastingEventStore implements EventStore {
  /** The adapter's identity, when it has one. */
  readonly storeIdentity?: () => Promise<string>;
  /** The adapter's search by time, when it has one. */
  readonly firstPositionAtOrAfter?: (at: Date) => Promise<bigint | null>;

  constructor(private readonly inner: EventStore, private readonly versions: EventVersions) {
    if (inner.storeIdentity) this.storeIdentity = () => inner.storeIdentity!();
    if (inner.firstPositionAtOrAfter) this.firstPositionAtOrAfter = (at) => inner.firstPositionAtOrAfter!(at);
  }

  append(streamId: string, events: NewEvent[], expected: ExpectedVersion, options: AppendOptions): Promise<AppendResult> {
    const stamped = events.map((e) => ({ ...e, schemaVersion: e.schemaVersion ?? this.versions.currentOf(e.type) }));
    return this.inner.append(streamId, stamped, expected, options);
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<ReadStreamResult> {
    const result = await this.inner.readStream(streamId, options);
    return { ...result, events: result.events.map((e) => this.versions.upcast(e)) };
  }

  async readAll(from: bigint | null, options?: { filter?: StreamFilter; limit?: number }): Promise<StoredEvent[]> {
    return (await this.inner.readAll(from, options)).map((e) => this.versions.upcast(e));
  }

  /** The adapter's long read, when it has one (JetStream), upcast; else pages of readAll. */
  async *readAllChunks(from: bigint | null, options: { filter?: StreamFilter } = {}): AsyncGenerator<StoredEvent[]> {
    const inner = this.inner as EventStore & { readAllChunks?: EventStore['readAllChunks'] };
    yield* readChunks(inner, from, options.filter, (e) => this.versions.upcast(e));
  }

  headPosition(): Promise<bigint | null> {
    return this.inner.headPosition();
  }

  subscribeAll(options: SubscribeOptions): Promise<Subscription> {
    return this.inner.subscribeAll({ ...options, onEvent: (event) => options.onEvent(this.versions.upcast(event)) });
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/** Chunks of the log after `from`: the store's own long read when it has one, else pages of readAll. */
export async function* readChunks(
  store: EventStore, from: bigint | null, filter: StreamFilter | undefined, map: (e: StoredEvent) => StoredEvent = (e) => e,
): AsyncGenerator<StoredEvent[]> {
  if (store.readAllChunks) {
    for await (const chunk of store.readAllChunks(from, { filter })) yield chunk.map(map);
    return;
  }
  let position = from;
  for (;;) {
    const page = await store.readAll(position, { filter, limit: 10_000 });
    if (page.length > 0) yield page.map(map);
    if (page.length < 10_000) return;
    position = page[page.length - 1].position;
  }
}
