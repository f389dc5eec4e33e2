import { randomUUID } from 'node:crypto';
import { invalidArgument } from '@cp/contracts';
import {
  ANY,
  BACKWARDS,
  DeadlineExceededError,
  END,
  EventStoreDBClient,
  InvalidArgumentError,
  MaxAppendSizeExceededError,
  NO_STREAM,
  NotLeaderError,
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
import { assertCommitSize, commitFits, encodeEvents, readLimit, type EncodedEvent } from './commit';
import {
  ALL_CONTEXTS,
  EventStoreUnavailableError,
  assertPosition,
  WrongExpectedVersionError,
  type AppendOptions,
  type AppendResult,
  type EventMetadata,
  type EventStore,
  type ExpectedVersion,
  type NewEvent,
  type ReadStreamOptions,
  type ReadStreamResult,
  type StoredEvent,
  type StreamFilter,
  type SubscribeOptions,
  type Subscription,
} from './port';
import { assertNameToken, filterCategories, parseStreamId } from './stream-id';

export interface EventStoreDbEventStoreOptions {
  /**
   * The bounded context writing through this store: its streams are named `<context>.<category>-<id>`.
   * ALL_CONTEXTS reads every context's streams (appends are refused).
   */
  context: string;
  /**
   * Commits larger than this (bytes of the events' data and metadata as JSON, as the server counts
   * them) are refused with SYS.1007 before they are sent. Default ESDB_MAX_APPEND_SIZE; set it to the
   * server's EVENTSTORE_MAX_APPEND_SIZE when that differs (a smaller server limit still answers
   * SYS.1007, from the server).
   */
  maxAppendSize?: number;
}

export interface EventStoreDbConnectOptions extends EventStoreDbEventStoreOptions {
  /** e.g. `esdb://127.0.0.1:2113?tls=false` */
  connectionString: string;
}

/** gRPC status UNAVAILABLE, as raw errors from the channel carry it. */
const GRPC_UNAVAILABLE = 14;
const CONFIRMATION_TIMEOUT_MS = 10_000;
/** gRPC status INVALID_ARGUMENT (e.g. a read from a position that is not a record's). */
const GRPC_INVALID_ARGUMENT = 3;
/** A call answered "not leader" is retried this many times, with backoff, while the client moves to the leader. */
const NOT_LEADER_RETRIES = 5;
const NOT_LEADER_BACKOFF_MS = 100;
/**
 * A filtered read of `$all` ends at the head it was started for: at an event past it, at a
 * checkpoint at or past it, or at the server's "caught up" (sent by servers from 23.10). A server
 * that sends nothing for this long (no event, no checkpoint) has nothing more for the filter.
 */
const READ_IDLE_MS = 2_000;
/**
 * The EventStoreDB MaxAppendSize this project deploys (docker-compose.yml: EVENTSTORE_MAX_APPEND_SIZE
 * 16767216, for templates up to 16 MiB); the server's own default is 1,048,576 (DEFAULT_MAX_APPEND_SIZE).
 */
export const ESDB_MAX_APPEND_SIZE = 16_767_216;
/** The stream (outside every context's prefix) whose first event names this EventStoreDB's log. */
export const STORE_IDENTITY_STREAM = 'cp-store-identity';

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

/** A server-side stream name filter: by prefixes (one context) or by regex (every context). */
export type StreamNames = { prefixes: string[] } | { regex: string };

/**
 * The server-side stream name filter for a port filter: one context's streams (`prefix` is
 * `<context>.`) of the wanted categories, by prefix; over every context (`prefix` ''), a regex on
 * `<any context>.<category>-`, which system streams (`$...`) and STORE_IDENTITY_STREAM never match.
 */
export function streamNamesOf(prefix: string, filter: StreamFilter | undefined): StreamNames {
  const categories = filterCategories(filter);
  if (prefix !== '') return { prefixes: categories.length === 0 ? [prefix] : categories.map((category) => `${prefix}${category}-`) };
  const category = categories.length === 0 ? '[^.]+' : `(?:${categories.map(escapeRegex).join('|')})`;
  return { regex: `^[^.$][^.]*\\.${category}-` };
}

/** The client's filter for our stream names, with its checkpoint options. */
function nameFilter(names: StreamNames, options: Omit<Parameters<typeof streamNameFilter>[0], 'prefixes' | 'regex'> = {}) {
  return 'regex' in names ? streamNameFilter({ ...options, regex: names.regex }) : streamNameFilter({ ...options, prefixes: names.prefixes });
}

const escapeRegex = (text: string): string => text.replace(/[\\^$+?()[\]{}|]/g, '\\$&');

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
  /** The gRPC subscriptions under the live ones, which `interrupt()` drops. */
  private readonly following = new Set<AllStreamSubscription>();
  private ownsClient = false;
  private closed = false;
  /** Whether the client has made its channel (closing it otherwise would make one to close). */
  private used = false;
  private readonly maxAppendSize: number;
  private identity: Promise<string> | null = null;

  /** Over a client the caller owns (and disposes). */
  constructor(
    private readonly client: EventStoreDBClient,
    options: EventStoreDbEventStoreOptions,
  ) {
    if (options.context !== ALL_CONTEXTS) assertNameToken('context', options.context);
    this.prefix = options.context === ALL_CONTEXTS ? '' : `${options.context}.`;
    this.maxAppendSize = options.maxAppendSize ?? ESDB_MAX_APPEND_SIZE;
  }

  /** A store with its own client, disposed of on `close()`. The client connects on first use. */
  static connect(options: EventStoreDbConnectOptions): EventStoreDbEventStore {
    const store = new EventStoreDbEventStore(EventStoreDBClient.connectionString(options.connectionString), options);
    store.ownsClient = true;
    return store;
  }

  async append(streamId: string, events: NewEvent[], expected: ExpectedVersion, options: AppendOptions): Promise<AppendResult> {
    if (this.prefix === '') throw new Error('a store over all contexts is read-only');
    const stream = this.streamName(streamId);
    const encoded = encodeEvents(events, options.commitId, options.metadata);
    assertCommitSize(streamId, encoded, this.maxAppendSize);
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
      return await this.call(async () => {
        // ESDB drops a replayed commit only when it is retried with its original expected version;
        // retried at the version after it (a caller that re-read the stream), it would be written again.
        if (expected !== 'noStream') {
          const own = await this.commitAtEnd(stream, options.commitId);
          if (own) return own;
        }
        const result = await this.client.appendToStream(stream, data, { expectedRevision: toExpectedRevision(expected) });
        return await this.confirmAppend(stream, result.nextExpectedRevision, attempt);
      });
    } catch (err) {
      throw appendError(err, streamId, expected, this.maxAppendSize);
    }
  }

  /** The stream's last commit, as a duplicate result, when it is `commitId`'s; null otherwise. */
  private async commitAtEnd(stream: string, commitId: string): Promise<AppendResult | null> {
    try {
      for await (const resolved of this.client.readStream(stream, { fromRevision: END, direction: BACKWARDS, maxCount: 1 })) {
        const recorded = resolved.event;
        if (!recorded) continue;
        if (storedMetadataOf(recorded).commit.id !== commitId) return null;
        return { nextExpectedVersion: recorded.revision, position: positionOf(recorded, resolved.commitPosition), duplicate: true };
      }
    } catch (err) {
      if (err instanceof StreamNotFoundError) return null;
      throw err;
    }
    return null;
  }

  /**
   * One call to the server, again (bounded, with backoff) when it answered "not leader": the client
   * reconnects to the leader it was told of, so the next attempt goes there.
   */
  private async call<T>(action: () => Promise<T>): Promise<T> {
    this.used = true;
    for (let attempt = 0; ; attempt++) {
      try {
        return await action();
      } catch (err) {
        if (!(err instanceof NotLeaderError)) throw err;
        if (attempt >= NOT_LEADER_RETRIES) throw new EventStoreUnavailableError(`EventStoreDB answered "not leader" ${attempt + 1} times: ${err.message}`, err);
        await new Promise((resolve) => setTimeout(resolve, NOT_LEADER_BACKOFF_MS * 2 ** attempt));
      }
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<ReadStreamResult> {
    if (this.prefix === '') throw new Error('a store over all contexts reads streams through each context\'s store');
    const stream = this.streamName(streamId);
    const { after } = options;
    if (after !== undefined) assertPosition(after);
    // A commit's version is the revision of its last event: the next commit starts right after it.
    const from = after === undefined ? {} : { fromRevision: after + 1n };
    const events: StoredEvent[] = [];
    try {
      await this.call(async () => {
        events.length = 0;
        const assembler = new CommitAssembler();
        for await (const resolved of this.client.readStream(stream, from)) {
          if (!resolved.event) continue;
          events.push(...assembler.add(resolved.event, positionOf(resolved.event, resolved.commitPosition)));
        }
      });
    } catch (err) {
      if (err instanceof StreamNotFoundError) return { events: [], version: null };
      throw toStoreError(err, `read stream ${streamId}`);
    }
    const last = events[events.length - 1];
    return { events, version: last ? last.streamVersion : after ?? null };
  }

  /**
   * The client (6.x) cannot filter `readAll` on the server, and reading `$all` would download and
   * parse every context's events. So this reads through a filtered catch-up subscription (only this
   * context's streams cross the wire) up to the head of `$all` taken first: it ends at an event past
   * that head, at a checkpoint at or past it, or at the server's "caught up" (servers that send it).
   */
  async readAll(from: bigint | null, options: { filter?: StreamFilter; limit?: number } = {}): Promise<StoredEvent[]> {
    assertPosition(from);
    const filter = this.filterFor(options.filter);
    const limit = readLimit(options.limit);
    try {
      return await this.call(async () => {
        const head = await this.headPosition();
        if (head === null || (from !== null && from >= head)) return [];
        return await this.readFiltered(from, head, filter, limit);
      });
    } catch (err) {
      throw readError(err, 'read $all');
    }
  }

  private async readFiltered(from: bigint | null, head: bigint, filter: StreamNames, limit: number): Promise<StoredEvent[]> {
    const END_OF_READ = Symbol('end of read');
    let ended = false;
    let idle: NodeJS.Timeout | undefined;
    // Set once the subscription exists; a timer cannot fire before that.
    let armIdle = (): void => undefined;
    const end = (subscription: AllStreamSubscription): void => {
      if (ended) return;
      ended = true;
      // Pushed in order behind the events already passed on: the loop below reads all of those first.
      subscription.push(END_OF_READ);
    };
    const subscription = this.client.subscribeToAll({
      fromPosition: readPosition(from),
      filter: nameFilter(filter, {
        checkpointInterval: 1,
        checkpointReached: (sub, position) => {
          armIdle();
          if (position.commit >= head) end(sub);
        },
      }),
    });
    armIdle = (): void => {
      clearTimeout(idle);
      idle = setTimeout(() => end(subscription), READ_IDLE_MS);
    };
    subscription.on('caughtUp', () => end(subscription));
    // Checkpoints (one per search window of filtered-out events) and events both count as progress.
    armIdle();
    const events: StoredEvent[] = [];
    const assembler = new CommitAssembler();
    try {
      for await (const item of subscription as AsyncIterable<unknown>) {
        if (item === END_OF_READ) break;
        armIdle();
        const recorded = (item as { event?: Recorded & { position: Position } }).event;
        if (!recorded) continue;
        if (recorded.position.commit > head) break;
        if (from !== null && recorded.position.commit <= from) continue;
        const commit = assembler.add(recorded, recorded.position.commit);
        if (commit.length === 0) continue;
        if (!commitFits(events.length, commit.length, limit)) break;
        events.push(...commit);
        if (events.length >= limit) break;
      }
    } finally {
      clearTimeout(idle);
      await subscription.unsubscribe().catch(() => undefined);
      subscription.destroy();
    }
    return events;
  }

  /** The position of the last record in `$all`, whichever stream (or context) it belongs to. */
  async headPosition(): Promise<bigint | null> {
    try {
      return await this.call(async () => {
        for await (const resolved of this.client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: 1 })) {
          if (resolved.event) return resolved.event.position.commit;
        }
        return null;
      });
    } catch (err) {
      throw toStoreError(err, 'read the head of $all');
    }
  }

  async subscribeAll(options: SubscribeOptions): Promise<Subscription> {
    assertPosition(options.from);
    this.used = true;
    const filter = this.filterFor(options.filter);
    const feed: CommitFeed = {
      open: (from, signal) => this.follow(from, filter, signal),
      ready: async () => !this.closed,
    };
    return followLog(feed, options, this.live);
  }

  /**
   * `esdb:<id>`, the id being the first event of STORE_IDENTITY_STREAM, written by the first store
   * that asks: a wiped (reset) EventStoreDB gets a new one, so checkpoints of the old log are ignored.
   */
  storeIdentity(): Promise<string> {
    this.identity ??= this.call(() => this.readOrWriteIdentity()).catch((err: unknown) => {
      this.identity = null;
      throw toStoreError(err, 'read the store identity');
    });
    return this.identity;
  }

  private async readOrWriteIdentity(): Promise<string> {
    const read = async (): Promise<string | null> => {
      try {
        for await (const resolved of this.client.readStream(STORE_IDENTITY_STREAM, { maxCount: 1 })) {
          const data = resolved.event?.data;
          if (isRecord(data) && typeof data.id === 'string') return `esdb:${data.id}`;
        }
      } catch (err) {
        if (!(err instanceof StreamNotFoundError)) throw err;
      }
      return null;
    };
    const existing = await read();
    if (existing) return existing;
    try {
      await this.client.appendToStream(STORE_IDENTITY_STREAM, jsonEvent({ type: 'StoreIdentity', data: { id: randomUUID() } }), { expectedRevision: NO_STREAM });
    } catch (err) {
      // Another process wrote it first: its id is the one.
      if (!(err instanceof EsdbWrongExpectedVersionError)) throw err;
    }
    const written = await read();
    if (!written) throw new Error(`${STORE_IDENTITY_STREAM} has no identity event`);
    return written;
  }

  /**
   * Drops the gRPC subscription under every live one, as a lost connection would (for tests: the
   * server cannot be restarted from them); each resubscribes by itself after its last commit.
   */
  async interrupt(): Promise<void> {
    for (const subscription of [...this.following]) {
      subscription.destroy(new EventStoreUnavailableError('EventStoreDB subscription dropped (interrupt)'));
    }
  }

  /** Ends the subscriptions, then (for a store that owns its client) the client's calls and its gRPC channel. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.live].map((subscription) => subscription.close()));
    if (!this.ownsClient) return;
    await this.client.dispose();
    // dispose() (client 6.x) cancels the calls but leaves the channel open: close it, when one was made.
    if (this.used) {
      const channel = await (this.client as unknown as { getChannel(): Promise<{ close(): void }> }).getChannel().catch(() => null);
      channel?.close();
    }
  }

  /**
   * ESDB acknowledges a replayed commit (same event ids) as a success without writing anything;
   * only the stored events tell whether they came from this attempt. Reading the commit's last
   * event costs a round trip, and also gives its log position on servers that omit it on replays.
   */
  private async confirmAppend(stream: string, lastRevision: bigint, attempt: string): Promise<AppendResult> {
    this.used = true;
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

  private async follow(from: bigint | null, filter: StreamNames, signal: AbortSignal): Promise<AsyncIterable<StoredEvent[]>> {
    const subscription = this.client.subscribeToAll({ fromPosition: readPosition(from), filter: nameFilter(filter) });
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
    const assembler = new CommitAssembler();
    this.following.add(subscription);
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
      this.following.delete(subscription);
      signal.removeEventListener('abort', stop);
      stop();
    }
  }

  private filterFor(filter: StreamFilter | undefined): StreamNames {
    return streamNamesOf(this.prefix, filter);
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
      // `<context>.<category>-<id>` → `<category>-<id>` (a context has no '.').
      streamId: recorded.streamId.slice(recorded.streamId.indexOf('.') + 1),
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

function appendError(err: unknown, streamId: string, expected: ExpectedVersion, maxAppendSize: number): unknown {
  if (err instanceof EsdbWrongExpectedVersionError) {
    return new WrongExpectedVersionError(streamId, expected, err.actualVersion === NO_STREAM ? null : err.actualVersion);
  }
  if (err instanceof MaxAppendSizeExceededError) {
    // The server's limit is lower than the configured one (maxAppendSize ${maxAppendSize}): still the caller's commit.
    return invalidArgument(`commit on ${streamId} is larger than EventStoreDB accepts (max append size ${err.maxAppendSize} bytes; configured ${maxAppendSize})`);
  }
  return toStoreError(err, `append to ${streamId} (outcome unknown on a timeout: retry with the same commitId)`);
}

/** A read's failure: an invalid position is the caller's (SYS.1007); connectivity is unavailable. */
function readError(err: unknown, action: string): unknown {
  if (err instanceof InvalidArgumentError || (isRecord(err) && err.code === GRPC_INVALID_ARGUMENT && !(err instanceof NotLeaderError))) {
    return invalidArgument(`${action}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return toStoreError(err, action);
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
