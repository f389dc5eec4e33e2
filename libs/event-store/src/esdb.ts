import { randomUUID } from 'node:crypto';
import {
  ANY,
  BACKWARDS,
  DeadlineExceededError,
  END,
  EventStoreDBClient,
  MaxAppendSizeExceededError,
  NO_STREAM,
  START,
  StreamNotFoundError,
  TimeoutError,
  UnavailableError,
  WrongExpectedVersionError as EsdbWrongExpectedVersionError,
  jsonEvent,
  streamNameFilter,
  type AllStreamSubscription,
  type AppendExpectedRevision,
  type Position,
  type ReadPosition,
} from '@eventstore/db-client';
import { followLog, type CommitFeed } from './catch-up';
import { commitFits, encodeEvents, readLimit, type EncodedEvent } from './commit';
import {
  EventStoreUnavailableError,
  WrongExpectedVersionError,
  type AppendOptions,
  type AppendResult,
  type EventMetadata,
  type EventStore,
  type ExpectedVersion,
  type NewEvent,
  type ReadStreamResult,
  type StoredEvent,
  type StreamFilter,
  type SubscribeOptions,
  type Subscription,
} from './port';
import { assertNameToken, filterCategories, parseStreamId } from './stream-id';

export interface EventStoreDbEventStoreOptions {
  /** The bounded context writing through this store: its streams are named `<context>.<category>-<id>`. */
  context: string;
}

export interface EventStoreDbConnectOptions extends EventStoreDbEventStoreOptions {
  /** e.g. `esdb://127.0.0.1:2113?tls=false` */
  connectionString: string;
}

/** gRPC status UNAVAILABLE, as raw errors from the channel carry it. */
const GRPC_UNAVAILABLE = 14;
const CONFIRMATION_TIMEOUT_MS = 10_000;

/** Where a commit's event sits in its commit; `attempt` tells a fresh write from an idempotent replay. */
interface CommitMarker {
  id: string;
  index: number;
  size: number;
  attempt: string;
}

/** The event metadata as stored: the port's metadata, ESDB's own correlation keys, and the commit marker. */
interface StoredMetadata extends EventMetadata {
  $correlationId: string;
  $causationId: string;
  schemaVersion: number;
  commit: CommitMarker;
}

/** The fields this adapter reads from the client's recorded events (JSON or binary). */
interface Recorded {
  streamId: string;
  revision: bigint;
  id: string;
  type: string;
  isJson: boolean;
  data: unknown;
  metadata: unknown;
  position?: Position;
}

/**
 * The event store on EventStoreDB (server 22.6 or later, whose stream reads carry log positions).
 * Stream versions are ESDB revisions of a stream's last event; positions are commit positions in
 * `$all`. One port commit is one append; its events carry a commit marker in their metadata, so that
 * reads can put commits back together and report every event with its commit's version and position.
 */
export class EventStoreDbEventStore implements EventStore {
  private readonly prefix: string;
  private readonly live = new Set<Subscription>();
  private ownsClient = false;
  private closed = false;

  /** Over a client the caller owns (and disposes). */
  constructor(
    private readonly client: EventStoreDBClient,
    options: EventStoreDbEventStoreOptions,
  ) {
    assertNameToken('context', options.context);
    this.prefix = `${options.context}.`;
  }

  /** A store with its own client, disposed of on `close()`. The client connects on first use. */
  static connect(options: EventStoreDbConnectOptions): EventStoreDbEventStore {
    const store = new EventStoreDbEventStore(EventStoreDBClient.connectionString(options.connectionString), options);
    store.ownsClient = true;
    return store;
  }

  async append(streamId: string, events: NewEvent[], expected: ExpectedVersion, options: AppendOptions): Promise<AppendResult> {
    const stream = this.streamName(streamId);
    const encoded = encodeEvents(events, options.commitId, options.metadata);
    const attempt = randomUUID();
    const data = encoded.map((event, index) =>
      jsonEvent({
        // Derived ids make ESDB's idempotent append drop a retried commit.
        id: event.eventId,
        type: event.type,
        data: event.data,
        metadata: storedMetadata(event, { id: options.commitId, index, size: encoded.length, attempt }),
      }),
    );
    try {
      const result = await this.client.appendToStream(stream, data, { expectedRevision: toExpectedRevision(expected) });
      return await this.confirmAppend(stream, result.nextExpectedRevision, attempt);
    } catch (err) {
      throw appendError(err, streamId, expected);
    }
  }

  async readStream(streamId: string): Promise<ReadStreamResult> {
    const stream = this.streamName(streamId);
    const events: StoredEvent[] = [];
    const assembler = new CommitAssembler(this.prefix);
    try {
      for await (const resolved of this.client.readStream(stream)) {
        if (!resolved.event) continue;
        events.push(...assembler.add(resolved.event, positionOf(resolved.event, resolved.commitPosition)));
      }
    } catch (err) {
      if (err instanceof StreamNotFoundError) return { events: [], version: null };
      throw toStoreError(err, `read stream ${streamId}`);
    }
    const last = events[events.length - 1];
    return { events, version: last ? last.streamVersion : null };
  }

  /** The client cannot filter `readAll` on the server: this reads `$all` and keeps this context's streams. */
  async readAll(from: bigint | null, options: { filter?: StreamFilter; limit?: number } = {}): Promise<StoredEvent[]> {
    const prefixes = this.prefixesFor(options.filter);
    const limit = readLimit(options.limit);
    const events: StoredEvent[] = [];
    const assembler = new CommitAssembler(this.prefix);
    const reading = this.client.readAll({ fromPosition: readPosition(from) });
    try {
      for await (const resolved of reading) {
        const recorded = resolved.event;
        if (!recorded || !prefixes.some((prefix) => recorded.streamId.startsWith(prefix))) continue;
        if (from !== null && recorded.position.commit <= from) continue;
        const commit = assembler.add(recorded, recorded.position.commit);
        if (commit.length === 0) continue;
        if (!commitFits(events.length, commit.length, limit)) break;
        events.push(...commit);
        if (events.length >= limit) break;
      }
    } catch (err) {
      throw toStoreError(err, 'read $all');
    } finally {
      // Stops the server streaming the rest of $all after a limit; a no-op once the read is complete.
      await reading.cancel().catch(() => undefined);
    }
    return events;
  }

  /** The position of the last record in `$all`, whichever stream (or context) it belongs to. */
  async headPosition(): Promise<bigint | null> {
    try {
      for await (const resolved of this.client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: 1 })) {
        if (resolved.event) return resolved.event.position.commit;
      }
      return null;
    } catch (err) {
      throw toStoreError(err, 'read the head of $all');
    }
  }

  async subscribeAll(options: SubscribeOptions): Promise<Subscription> {
    const prefixes = this.prefixesFor(options.filter);
    const feed: CommitFeed = {
      open: (from, signal) => this.follow(from, prefixes, signal),
      ready: async () => !this.closed,
    };
    return followLog(feed, options, this.live);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.live].map((subscription) => subscription.close()));
    if (this.ownsClient) await this.client.dispose();
  }

  /**
   * ESDB acknowledges a replayed commit (same event ids) as a success without writing anything;
   * only the stored events tell whether they came from this attempt. Reading the commit's last
   * event costs a round trip, and also gives its log position on servers that omit it on replays.
   */
  private async confirmAppend(stream: string, lastRevision: bigint, attempt: string): Promise<AppendResult> {
    for await (const resolved of this.client.readStream(stream, { fromRevision: lastRevision, maxCount: 1 })) {
      const recorded = resolved.event;
      if (!recorded) continue;
      const metadata = storedMetadataOf(recorded);
      return {
        nextExpectedVersion: lastRevision,
        position: positionOf(recorded, resolved.commitPosition),
        duplicate: metadata.commit.attempt !== attempt,
      };
    }
    throw new Error(`event ${lastRevision} of ${stream} was acknowledged but cannot be read back`);
  }

  private async follow(from: bigint | null, prefixes: string[], signal: AbortSignal): Promise<AsyncIterable<StoredEvent[]>> {
    const subscription = this.client.subscribeToAll({ fromPosition: readPosition(from), filter: streamNameFilter({ prefixes }) });
    try {
      await confirmed(subscription);
      if (signal.aborted) throw new Error('subscription closed while it was being established');
    } catch (err) {
      await subscription.unsubscribe().catch(() => undefined);
      subscription.destroy();
      throw toStoreError(err, 'subscribe to $all');
    }
    return this.commitsFrom(subscription, from, signal);
  }

  private async *commitsFrom(subscription: AllStreamSubscription, from: bigint | null, signal: AbortSignal): AsyncGenerator<StoredEvent[]> {
    const stop = (): void => {
      void subscription.unsubscribe().catch(() => undefined);
      // The client pipes the gRPC call into the subscription, and a cancelled call does not end it.
      subscription.destroy();
    };
    signal.addEventListener('abort', stop, { once: true });
    const assembler = new CommitAssembler(this.prefix);
    try {
      for await (const resolved of subscription) {
        if (signal.aborted) return;
        const recorded = resolved.event;
        // The subscription is exclusive of `from`, but other events of the commit at `from` can follow it.
        if (!recorded || (from !== null && recorded.position.commit <= from)) continue;
        const commit = assembler.add(recorded, recorded.position.commit);
        if (commit.length > 0) yield commit;
      }
    } catch (err) {
      if (!signal.aborted) throw toStoreError(err, 'follow $all');
    } finally {
      signal.removeEventListener('abort', stop);
      stop();
    }
  }

  /** Server-side stream name prefixes for a filter: this context's streams, of the wanted categories. */
  private prefixesFor(filter: StreamFilter | undefined): string[] {
    const categories = filterCategories(filter);
    return categories.length === 0 ? [this.prefix] : categories.map((category) => `${this.prefix}${category}-`);
  }

  private streamName(streamId: string): string {
    parseStreamId(streamId);
    return `${this.prefix}${streamId}`;
  }
}

/**
 * Puts commits back together from their events, which ESDB stores contiguously. A commit is
 * complete at the event whose marker says it is the last; all its events then get the version and
 * position of that last event, as the port's commits have.
 */
class CommitAssembler {
  private pending: { marker: CommitMarker; events: StoredEvent[] } | null = null;

  constructor(private readonly prefix: string) {}

  /** The completed commit, or nothing while the commit is still incomplete. */
  add(recorded: Recorded, position: bigint): StoredEvent[] {
    const metadata = storedMetadataOf(recorded);
    const { commit: marker } = metadata;
    const pending = this.pending ?? { marker, events: [] };
    if (pending.marker.id !== marker.id || marker.index !== pending.events.length) {
      throw new Error(`event ${recorded.id} of ${recorded.streamId} breaks commit ${pending.marker.id}: commits must be contiguous`);
    }
    pending.events.push(this.toStored(recorded, metadata));
    if (marker.index < marker.size - 1) {
      this.pending = pending;
      return [];
    }
    this.pending = null;
    return pending.events.map((event) => ({ ...event, position, streamVersion: recorded.revision }));
  }

  private toStored(recorded: Recorded, metadata: StoredMetadata): StoredEvent {
    if (!recorded.isJson || !isRecord(recorded.data)) throw new Error(`event ${recorded.id} of ${recorded.streamId} has no JSON object data`);
    const { commandId, correlationId, causationId, actor, occurredAt } = metadata;
    return {
      eventId: recorded.id,
      streamId: recorded.streamId.slice(this.prefix.length),
      type: recorded.type,
      schemaVersion: metadata.schemaVersion,
      data: recorded.data,
      metadata: { commandId, correlationId, causationId, actor, occurredAt },
      // Both are replaced by the commit's once its last event is seen.
      position: 0n,
      streamVersion: recorded.revision,
    };
  }
}

function storedMetadata(event: EncodedEvent, commit: CommitMarker): StoredMetadata {
  return {
    ...event.metadata,
    $correlationId: event.metadata.correlationId,
    $causationId: event.metadata.causationId,
    schemaVersion: event.schemaVersion,
    commit,
  };
}

function storedMetadataOf(recorded: Recorded): StoredMetadata {
  const { metadata } = recorded;
  if (isRecord(metadata) && typeof metadata.schemaVersion === 'number' && isRecord(metadata.commit) && isRecord(metadata.actor)) {
    const { commit } = metadata;
    if (typeof commit.id === 'string' && typeof commit.index === 'number' && typeof commit.size === 'number' && typeof commit.attempt === 'string') {
      return metadata as unknown as StoredMetadata;
    }
  }
  throw new Error(`event ${recorded.id} of ${recorded.streamId} was not written by this event store (no commit marker)`);
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function positionOf(recorded: Recorded, commitPosition: bigint | undefined): bigint {
  const position = recorded.position?.commit ?? commitPosition;
  if (position === undefined) throw new Error('the EventStoreDB server returns no log positions on stream reads: it must be 22.6 or later');
  return position;
}

function toExpectedRevision(expected: ExpectedVersion): AppendExpectedRevision {
  if (expected === 'noStream') return NO_STREAM;
  if (expected === 'any') return ANY;
  return expected;
}

/** `$all` is read from a position exclusively; commit and prepare both set to the commit position. */
const readPosition = (from: bigint | null): ReadPosition => (from === null ? START : { commit: from, prepare: from });

/** Resolves once the server confirms the subscription, so that a failure to subscribe surfaces here. */
function confirmed(subscription: AllStreamSubscription): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = (err?: Error): void => {
      clearTimeout(timer);
      subscription.removeListener('confirmation', onConfirmation);
      subscription.removeListener('error', settle);
      if (err) reject(err);
      else resolve();
    };
    const onConfirmation = (): void => settle();
    const timer = setTimeout(
      () => settle(new EventStoreUnavailableError(`EventStoreDB did not confirm the subscription within ${CONFIRMATION_TIMEOUT_MS} ms`)),
      CONFIRMATION_TIMEOUT_MS,
    );
    subscription.once('confirmation', onConfirmation);
    subscription.once('error', settle);
  });
}

function appendError(err: unknown, streamId: string, expected: ExpectedVersion): unknown {
  if (err instanceof EsdbWrongExpectedVersionError) {
    return new WrongExpectedVersionError(streamId, expected, err.actualVersion === NO_STREAM ? null : err.actualVersion);
  }
  if (err instanceof MaxAppendSizeExceededError) {
    return new RangeError(`commit on ${streamId} is larger than EventStoreDB accepts (max ${err.maxAppendSize} bytes)`);
  }
  return toStoreError(err, `append to ${streamId} (outcome unknown on a timeout: retry with the same commitId)`);
}

function toStoreError(err: unknown, action: string): unknown {
  const unavailable =
    err instanceof UnavailableError ||
    err instanceof DeadlineExceededError ||
    err instanceof TimeoutError ||
    (isRecord(err) && err.code === GRPC_UNAVAILABLE);
  if (!unavailable) return err;
  return new EventStoreUnavailableError(`${action}: ${err instanceof Error ? err.message : String(err)}`, err);
}
