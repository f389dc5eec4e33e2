import {
  AckPolicy,
  ConsumerEvents,
  DeliverPolicy,
  ErrorCode,
  Events,
  NatsError,
  StorageType,
  connect,
  createInbox,
  headers,
  nanos,
  type ConsumerConfig,
  type ConsumerMessages,
  type JetStreamClient,
  type JetStreamManager,
  type Msg,
  type NatsConnection,
  type PubAck,
  type Status,
  type Stream,
  type StreamConfig,
} from 'nats';
import { invalidArgument } from '@cp/contracts';
import { followLog, type CommitFeed } from './catch-up';
import { deriveEventId } from './event-id';
import { assertCommitSize, commitFits, encodeEvents, readLimit, type EncodedEvent } from './commit';
import {
  ALL_CONTEXTS,
  DEFAULT_MAX_APPEND_SIZE,
  EventStoreUnavailableError,
  assertPosition,
  WrongExpectedVersionError,
  type AppendOptions,
  type AppendResult,
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
import { assertNameToken, categoryPredicate, filterCategories, parseStreamId } from './stream-id';


export interface JetStreamEventStoreOptions {
  /**
   * The bounded context writing through this store: subjects are `events.<context>.<category>.<id>`.
   * ALL_CONTEXTS reads every context (appends are refused).
   */
  context: string;
  /** Copies of the stream the servers keep (JETSTREAM_REPLICAS; 3 on a 3-node cluster). Default 1. */
  replicas?: number;
  /** The JetStream stream holding every context's events. Default `EVENTS`. */
  streamName?: string;
  /**
   * How long JetStream remembers commit ids (Nats-Msg-Id) to drop retried commits. Default: the
   * server's (2 minutes). A retry later than this with expected version `any` would write twice.
   */
  duplicateWindowMs?: number;
  /**
   * Commits larger than this (bytes of the events' data and metadata as JSON) are refused with
   * SYS.1007 before they are sent. Default: the server's max_payload less room for the envelope.
   */
  maxAppendSize?: number;
}

/** Room left in max_payload for a commit's envelope (event ids, types, JSON framing, headers). */
const ENVELOPE_ALLOWANCE = 4096;

export interface JetStreamConnectOptions extends JetStreamEventStoreOptions {
  servers: string | string[];
  /** Shown in the server's connection list. */
  connectionName?: string;
}

const SUBJECTS = 'events.>';
/** The client's own default for JetStream API requests. */
const REQUEST_TIMEOUT_MS = 5_000;
/**
 * How long a pull waits for the server's next word (a message, or its "no more"): a no_wait pull
 * is answered at once, so silence this long means the pull is lost (the server went away with it).
 */
const PULL_IDLE_TIMEOUT_MS = 5_000;
/** How often a pull checks for silence (a timer per message would cost a replay of millions dearly). */
const PULL_CHECK_MS = 1_000;
const DIRECT_SUBJECT = 'Nats-Subject';
const DIRECT_SEQUENCE = 'Nats-Sequence';
const MSG_ID = 'Nats-Msg-Id';
const EXPECTED_LAST_SUBJECT_SEQUENCE = 'Nats-Expected-Last-Subject-Sequence';
/** JetStream's "wrong last sequence: N" (JSStreamWrongLastSequenceErrF). */
const ERR_WRONG_LAST_SEQUENCE = 10071;
/** JetStream's "message size exceeds maximum allowed" (JSStreamMessageExceedsMaximumErr). */
const ERR_MESSAGE_TOO_LARGE = 10054;
/** JetStream's "stream not found" (JSStreamNotFoundErr). */
const ERR_STREAM_NOT_FOUND = 10059;

/**
 * Aggregates have a handful of commits: for those, one direct get per commit is fastest. Measured
 * here (nats-server 2.9, 3 000 other streams): 0.2-0.3 ms per get, against 1.3-2.8 ms for a
 * consumer whatever the length; gets-only reached 2.8 ms at 8 commits and 20 ms at 50. So streams
 * longer than this switch to a consumer for the rest.
 */
const DIRECT_GET_COMMITS = 6;
/** How often a scan's pull is tried again while its new consumer has no responder yet (cluster). */
const NO_RESPONDER_RETRIES = 10;
/** JetStream's "no message found" (a get past the last message on a subject). */
const ERR_NO_MESSAGE_FOUND = 10037;
const READ_BATCH = 256;
/** Ephemeral consumers the server removes by itself if a client vanishes without deleting them. */
const READ_CONSUMER_IDLE_MS = 30_000;
const FOLLOW_CONSUMER_IDLE_MS = 60_000;
const FOLLOW_BATCH = 256;
/**
 * A live subscription's pulls expire after this (and are renewed); the server sends heartbeats at
 * half of it, and two missed heartbeats end the subscription, which then resumes on a new consumer:
 * a consumer lost without a disconnect (or a missed disconnect) is noticed within this time.
 */
const FOLLOW_EXPIRES_MS = 10_000;
/** Messages a long read (readAllChunks) asks for at once, and the events it hands over at once. */
const SCAN_BATCH = 16_384;
const CHUNK_EVENTS = 1000;

const UNAVAILABLE = new Set<string>([
  ErrorCode.Timeout,
  ErrorCode.ConnectionClosed,
  ErrorCode.ConnectionDraining,
  ErrorCode.ConnectionRefused,
  ErrorCode.ConnectionTimeout,
  ErrorCode.Disconnect,
  ErrorCode.NoResponders,
]);

/** The consumer status notifications after which a consumer delivers nothing more. */
const CONSUMER_LOST = new Set<string>([
  ConsumerEvents.HeartbeatsMissed,
  ConsumerEvents.ConsumerDeleted,
  ConsumerEvents.ConsumerNotFound,
  ConsumerEvents.StreamNotFound,
  ConsumerEvents.NoResponders,
]);

interface CommitBody {
  events: EncodedEvent[];
}

interface StoredMessage {
  subject: string;
  seq: number;
  data: Uint8Array;
}

interface Binding {
  jsm: JetStreamManager;
  stream: Stream;
}

/** Which subjects a read or subscription asks the server for, and which of those it keeps. */
interface Selection {
  subject: string;
  keeps: (subject: string) => boolean;
}

/**
 * The event store on NATS JetStream: one file-backed stream, one message per commit, stream
 * versions and log positions both being JetStream stream sequences.
 */
export class JetStreamEventStore implements EventStore {
  private readonly js: JetStreamClient;
  private readonly streamName: string;
  private readonly subjectPrefix: string;
  private readonly directGetSubject: string;
  private binding: Promise<Binding> | null = null;
  /** Made with the store (over a connection that is up), so that it sees every status change after. */
  private readonly watch: ConnectionWatch;
  private readonly live = new Set<Subscription>();
  private ownsConnection = false;

  /** Over a connection the caller owns (and closes). A process that may be the first to use the stream calls `init()`. */
  constructor(
    private readonly nc: NatsConnection,
    private readonly options: JetStreamEventStoreOptions,
  ) {
    if (options.context !== ALL_CONTEXTS) assertNameToken('context', options.context);
    this.streamName = options.streamName ?? 'EVENTS';
    this.subjectPrefix = `events.${options.context}`;
    this.directGetSubject = `$JS.API.DIRECT.GET.${this.streamName}`;
    this.js = nc.jetstream();
    this.watch = new ConnectionWatch(nc);
  }

  /** A store with its own connection, initialised, that closes the connection on `close()`. */
  static async connect(options: JetStreamConnectOptions): Promise<JetStreamEventStore> {
    const { servers, connectionName, ...storeOptions } = options;
    let nc: NatsConnection;
    try {
      nc = await connect({ servers, name: connectionName, maxReconnectAttempts: -1 });
    } catch (err) {
      throw toStoreError(err, `connect to ${String(servers)}`);
    }
    const store = new JetStreamEventStore(nc, storeOptions);
    store.ownsConnection = true;
    try {
      await store.init();
    } catch (err) {
      await nc.close();
      throw err;
    }
    return store;
  }

  /** Creates the stream, or brings its configuration in line; safe to call from every process at start. */
  async init(): Promise<void> {
    try {
      await this.ensureStream(await this.nc.jetstreamManager());
    } catch (err) {
      throw toStoreError(err, `initialise stream ${this.streamName}`);
    }
    await this.bind();
  }

  async append(streamId: string, events: NewEvent[], expected: ExpectedVersion, options: AppendOptions): Promise<AppendResult> {
    if (this.options.context === ALL_CONTEXTS) throw new Error('a store over all contexts is read-only');
    const subject = this.subjectOf(streamId);
    const encoded = encodeEvents(events, options.commitId, options.metadata);
    const maxPayload = this.nc.info?.max_payload;
    assertCommitSize(
      streamId,
      encoded,
      this.options.maxAppendSize ?? (maxPayload === undefined ? DEFAULT_MAX_APPEND_SIZE : Math.max(1, maxPayload - ENVELOPE_ALLOWANCE)),
      maxPayload === undefined ? '' : `; the server's max_payload is ${maxPayload} bytes`,
    );
    // Buffer.from encodes UTF-8 about twice as fast as TextEncoder, and a Buffer is a Uint8Array.
    const body = Buffer.from(JSON.stringify({ events: encoded } satisfies CommitBody));
    const header = headers();
    header.set(MSG_ID, options.commitId);
    if (expected !== 'any') header.set(EXPECTED_LAST_SUBJECT_SEQUENCE, expected === 'noStream' ? '0' : expected.toString());
    let ack: PubAck;
    try {
      ack = await this.js.publish(subject, body, { headers: header });
      // A duplicate without a sequence: nats-server 2.10 in a cluster keeps the Msg-Id of a publish
      // it refused (wrong last subject sequence), and answers its retry as a duplicate of nothing
      // (seq 0). Whether the commit is stored is looked up; when it is not, it is published again
      // without the Msg-Id, the expected version alone guarding against a second write.
      if (ack.duplicate && ack.seq === 0) {
        const stored = await this.commitOnSubject(subject, options.commitId);
        if (stored !== null) return { nextExpectedVersion: stored, position: stored, duplicate: true };
        header.delete(MSG_ID);
        ack = await this.js.publish(subject, body, { headers: header });
      }
    } catch (err) {
      // A retried commit refused for its version may be stored already (nats-server 2.10 in a
      // cluster checks the expected version before the Msg-Id): then it is that commit's duplicate.
      if (err instanceof NatsError && err.api_error?.err_code === ERR_WRONG_LAST_SEQUENCE) {
        const stored = await this.commitOnSubject(subject, options.commitId).catch(() => null);
        if (stored !== null) return { nextExpectedVersion: stored, position: stored, duplicate: true };
      }
      throw this.appendError(err, streamId, expected, body.length);
    }
    const sequence = BigInt(ack.seq);
    return { nextExpectedVersion: sequence, position: sequence, duplicate: ack.duplicate };
  }

  /** The position of the commit `commitId` on `subject`, or null when it is not stored. */
  private async commitOnSubject(subject: string, commitId: string): Promise<bigint | null> {
    const firstEventId = deriveEventId(commitId, 0);
    for (const commit of await this.readCommitsOf(subject)) {
      if (commit[0]?.eventId === firstEventId) return commit[0].position;
    }
    return null;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<ReadStreamResult> {
    const subject = this.subjectOf(streamId);
    const { after } = options;
    if (after !== undefined) assertPosition(after);
    try {
      const commits = await this.readCommitsOf(subject, after === undefined ? 1 : Number(after) + 1);
      const last = commits[commits.length - 1];
      return { events: commits.flat(), version: last ? last[0].streamVersion : after ?? null };
    } catch (err) {
      throw toStoreError(err, `read stream ${streamId}`);
    }
  }

  async readAll(from: bigint | null, options: { filter?: StreamFilter; limit?: number } = {}): Promise<StoredEvent[]> {
    const selection = this.select(options.filter);
    const limit = readLimit(options.limit);
    const events: StoredEvent[] = [];
    try {
      for await (const message of this.scan(selection.subject, nextSequence(from), Math.min(limit, READ_BATCH))) {
        if (!selection.keeps(message.subject)) continue;
        const commit = decodeCommit(message.subject, message.seq, message.data);
        if (!commitFits(events.length, commit.length, limit)) break;
        events.push(...commit);
        if (events.length >= limit) break;
      }
    } catch (err) {
      throw toStoreError(err, 'read all');
    }
    return events;
  }

  /**
   * The position of the first commit stored at or after `at` (JetStream's own store time, which
   * follows the events' `occurredAt` by the time an append takes), or null when none is.
   */
  async firstPositionAtOrAfter(at: Date): Promise<bigint | null> {
    try {
      const { jsm } = await this.bind();
      const info = await jsm.consumers.add(this.streamName, {
        ...consumerConfig(`${this.subjectPrefix}.>`, 1, READ_CONSUMER_IDLE_MS),
        deliver_policy: DeliverPolicy.StartTime, opt_start_seq: undefined, opt_start_time: at.toISOString(),
      });
      try {
        for await (const message of this.pull(info.name, 1)) return BigInt(message.seq);
        return null;
      } finally {
        this.deleteConsumer(jsm, info.name);
      }
    } catch (err) {
      throw toStoreError(err, 'find a position by time');
    }
  }

  /**
   * The log after `from` in chunks, through one consumer for the whole read (a replay of millions of
   * events; readAll pages would each make a consumer of their own).
   */
  async *readAllChunks(from: bigint | null, options: { filter?: StreamFilter } = {}): AsyncGenerator<StoredEvent[]> {
    const selection = this.select(options.filter);
    let chunk: StoredEvent[] = [];
    try {
      for await (const message of this.scan(selection.subject, nextSequence(from), SCAN_BATCH)) {
        if (!selection.keeps(message.subject)) continue;
        chunk.push(...decodeCommit(message.subject, message.seq, message.data));
        if (chunk.length >= CHUNK_EVENTS) {
          yield chunk;
          chunk = [];
        }
      }
    } catch (err) {
      throw toStoreError(err, 'read all');
    }
    if (chunk.length > 0) yield chunk;
  }

  async headPosition(): Promise<bigint | null> {
    try {
      const { jsm } = await this.bind();
      const { state } = await jsm.streams.info(this.streamName);
      return state.last_seq === 0 ? null : BigInt(state.last_seq);
    } catch (err) {
      throw toStoreError(err, `read the head of ${this.streamName}`);
    }
  }

  async subscribeAll(options: SubscribeOptions): Promise<Subscription> {
    const watch = this.watch;
    const selection = this.select(options.filter);
    const feed: CommitFeed = {
      open: (from, signal) => this.follow(from, selection, watch, signal),
      ready: (signal) => watch.connected(signal),
    };
    return followLog(feed, options, this.live);
  }

  /**
   * `jetstream:<stream>:<creation time>`: a stream deleted and made again (a reset log) is another
   * store, whose sequences restart from 1.
   */
  async storeIdentity(): Promise<string> {
    try {
      const { jsm } = await this.bind();
      const info = await jsm.streams.info(this.streamName);
      return `jetstream:${this.streamName}:${info.created}`;
    } catch (err) {
      throw toStoreError(err, `read the identity of ${this.streamName}`);
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.live].map((subscription) => subscription.close()));
    this.watch.stop();
    if (this.ownsConnection && !this.nc.isClosed()) await this.nc.close();
  }

  private async ensureStream(jsm: JetStreamManager): Promise<void> {
    const wanted: Partial<StreamConfig> = {
      name: this.streamName,
      subjects: [SUBJECTS],
      storage: StorageType.File,
      deny_delete: true,
      deny_purge: true,
      // Direct gets are answered by any replica, a follower's copy possibly a moment behind: with
      // replicas, reads of a stream go to its leader (consistent), not directly.
      allow_direct: !this.replicated,
      num_replicas: this.options.replicas ?? 1,
      ...(this.options.duplicateWindowMs === undefined ? {} : { duplicate_window: nanos(this.options.duplicateWindowMs) }),
    };
    const current = await jsm.streams.info(this.streamName).catch((err: unknown) => {
      if (err instanceof NatsError && err.api_error?.err_code === ERR_STREAM_NOT_FOUND) return null;
      throw err;
    });
    // Adding a stream that exists with the same configuration succeeds: two processes may race here.
    if (!current) await jsm.streams.add(wanted);
    else if (!matches(current.config, wanted)) await jsm.streams.update(this.streamName, wanted);
  }

  /** Direct gets for the first commits, then one consumer for whatever follows. */
  private async readCommitsOf(subject: string, from = 1): Promise<StoredEvent[][]> {
    const commits: StoredEvent[][] = [];
    let sequence = from;
    for (let i = 0; i < DIRECT_GET_COMMITS; i++) {
      const message = await this.nextOnSubject(subject, sequence);
      if (!message) return commits;
      commits.push(decodeCommit(message.subject, message.seq, message.data));
      sequence = message.seq + 1;
    }
    for await (const message of this.scan(subject, sequence, READ_BATCH)) {
      commits.push(decodeCommit(message.subject, message.seq, message.data));
    }
    return commits;
  }

  /**
   * Every message on `filterSubject` from `startSequence`, through an ephemeral consumer pulled
   * with no_wait: the server sends what it has and then says it has no more, so the scan ends
   * without waiting for a pull to expire. (The consumer's num_pending cannot tell the end: with a
   * wildcard filter and a start sequence, nats-server 2.9 sometimes over-counts it.)
   */
  private async *scan(filterSubject: string, startSequence: number, batch: number): AsyncGenerator<StoredMessage> {
    const { jsm } = await this.bind();
    const info = await jsm.consumers.add(this.streamName, consumerConfig(filterSubject, startSequence, READ_CONSUMER_IDLE_MS));
    try {
      for (let fetched = batch, attempt = 0; fetched === batch; ) {
        fetched = 0;
        try {
          for await (const message of this.pull(info.name, batch)) {
            fetched++;
            yield message;
          }
        } catch (err) {
          // In a cluster a new consumer may not be answering on its server yet: its first pulls find no responder.
          if (!(err instanceof NatsError && err.code === ErrorCode.NoResponders) || fetched > 0 || ++attempt > NO_RESPONDER_RETRIES) throw err;
          await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
          fetched = batch;
        }
      }
    } finally {
      this.deleteConsumer(jsm, info.name);
    }
  }

  /**
   * One no_wait pull of up to `batch` messages from `consumer`, bounded: it ends when the batch is
   * full or the server says it has no more (404 / 408 status), and fails (unavailable) when the
   * server says nothing for PULL_IDLE_TIMEOUT_MS or the connection drops. Requested by hand: with
   * nats.js v2's `js.fetch({no_wait: true})` a pull lost in a server restart waits forever (no timer
   * without `expires`), and with `expires` nats-server 2.9 holds an empty no_wait pull until it
   * expires, so every read that reaches the end of the log would wait that long.
   */
  private pull(consumer: string, batch: number): AsyncIterable<StoredMessage> {
    const watch = this.watch;
    const nc = this.nc;
    const subject = `$JS.API.CONSUMER.MSG.NEXT.${this.streamName}.${consumer}`;
    const streamName = this.streamName;
    return {
      [Symbol.asyncIterator]: () => {
        // Sent now, the pull would wait in the client's buffer for a server that has forgotten the consumer.
        if (!watch.isConnected) throw new NatsError(`not connected: cannot pull from ${streamName} > ${consumer}`, ErrorCode.Disconnect);
        let queue: StoredMessage[] = [];
        let head = 0;
        let ended = false;
        let failure: unknown = null;
        let wake: (() => void) | null = null;
        // Silence is counted in checks with no message in between.
        let activity = 0;
        let seen = 0;
        let silentMs = 0;
        let timer: NodeJS.Timeout | undefined;
        const signal = (): void => {
          const w = wake;
          wake = null;
          w?.();
        };
        const finish = (err: unknown = null): void => {
          if (ended) return;
          ended = true;
          failure = err;
          clearInterval(timer);
          unwatch();
          sub.unsubscribe();
          signal();
        };
        let received = 0;
        const inbox = createInbox((nc as { options?: { inboxPrefix?: string } }).options?.inboxPrefix);
        const sub = nc.subscribe(inbox, {
          callback: (err, msg) => {
            if (ended) return;
            if (err) return finish(err);
            // The server's status messages come on the inbox itself; messages keep their own subject.
            const status = msg.subject === inbox ? pullStatus(msg) : null;
            activity++;
            if (status === 'heartbeat') return;
            if (status === 'end') return finish();
            if (status instanceof Error) return finish(status);
            const seq = sequenceOfAck(msg.reply);
            if (seq === null) return finish(new Error(`a pull on ${streamName} > ${consumer} delivered a message without a stream sequence`));
            queue.push({ subject: msg.subject, seq, data: msg.data });
            received++;
            if (received >= batch) finish();
            signal();
          },
        });
        // A pull is lost with the connection: fail at once rather than wait out the timer.
        const unwatch = watch.onDisconnect(() => finish(new NatsError(`disconnected during a pull on ${streamName} > ${consumer}`, ErrorCode.Disconnect)));
        timer = setInterval(() => {
          if (activity !== seen) {
            seen = activity;
            silentMs = 0;
            return;
          }
          silentMs += PULL_CHECK_MS;
          if (silentMs >= PULL_IDLE_TIMEOUT_MS) {
            finish(new NatsError(`no answer to a pull on ${streamName} > ${consumer} in ${PULL_IDLE_TIMEOUT_MS} ms`, ErrorCode.Timeout));
          }
        }, PULL_CHECK_MS);
        try {
          nc.publish(subject, Buffer.from(JSON.stringify({ batch, no_wait: true })), { reply: inbox });
        } catch (err) {
          finish(err);
        }
        return {
          next: async (): Promise<IteratorResult<StoredMessage>> => {
            for (;;) {
              if (head < queue.length) {
                const message = queue[head];
                queue[head++] = undefined as unknown as StoredMessage;
                return { value: message, done: false };
              }
              if (head > 0) {
                queue = [];
                head = 0;
              }
              if (ended) {
                if (failure !== null) {
                  const err = failure;
                  failure = null;
                  throw err;
                }
                return { value: undefined, done: true };
              }
              await new Promise<void>((resolve) => { wake = resolve; });
            }
          },
          return: async (): Promise<IteratorResult<StoredMessage>> => {
            finish();
            queue = [];
            head = 0;
            return { value: undefined, done: true };
          },
        };
      },
    };
  }

  private async follow(
    from: bigint | null,
    selection: Selection,
    watch: ConnectionWatch,
    signal: AbortSignal,
  ): Promise<AsyncIterable<StoredEvent[]>> {
    try {
      const { jsm, stream } = await this.bind();
      const info = await jsm.consumers.add(this.streamName, consumerConfig(selection.subject, nextSequence(from), FOLLOW_CONSUMER_IDLE_MS));
      const messages = await stream.getConsumerFromInfo(info).consume({ max_messages: FOLLOW_BATCH, expires: FOLLOW_EXPIRES_MS });
      const release = (): void => this.deleteConsumer(jsm, info.name);
      if (signal.aborted) {
        messages.stop();
        release();
        throw new Error('subscription closed while it was being established');
      }
      return this.commitsFrom(messages, selection, watch, signal, release);
    } catch (err) {
      throw toStoreError(err, `subscribe to ${selection.subject}`);
    }
  }

  /**
   * Commits from one consumer until it is lost. A disconnect ends it at once rather than trusting
   * the consumer to survive: a restarted server has forgotten it, and the subscription loop makes
   * a new one from the last delivered position, which is what keeps delivery free of gaps.
   */
  private async *commitsFrom(
    messages: ConsumerMessages,
    selection: Selection,
    watch: ConnectionWatch,
    signal: AbortSignal,
    release: () => void,
  ): AsyncGenerator<StoredEvent[]> {
    const stop = (): void => messages.stop();
    signal.addEventListener('abort', stop, { once: true });
    const unwatch = watch.onDisconnect(stop);
    void stopWhenLost(messages);
    try {
      // Dropped between the consumer's creation and here: its disconnect listener came too late.
      if (!watch.isConnected) return;
      let delivery = 0;
      for await (const message of messages) {
        if (signal.aborted) return;
        // A skipped delivery sequence means lost messages: end here and resume from the last commit.
        if (message.info.deliverySequence !== ++delivery) return;
        if (selection.keeps(message.subject)) yield decodeCommit(message.subject, message.seq, message.data);
      }
    } finally {
      signal.removeEventListener('abort', stop);
      unwatch();
      messages.stop();
      release();
    }
  }

  /** Best effort: the consumer's inactivity threshold removes it anyway if this is lost. */
  private deleteConsumer(jsm: JetStreamManager, name: string): void {
    if (this.nc.isClosed()) return;
    jsm.consumers.delete(this.streamName, name).catch(() => undefined);
  }

  /**
   * nats-server 2.9 filters a consumer on one subject only: a single category gets its own
   * subject, several read the whole context and drop the rest here.
   */
  private select(filter: StreamFilter | undefined): Selection {
    const categories = filterCategories(filter);
    if (categories.length === 0) return { subject: `${this.subjectPrefix}.>`, keeps: () => true };
    if (categories.length === 1) return { subject: `${this.subjectPrefix}.${categories[0]}.>`, keeps: () => true };
    const keepsCategory = categoryPredicate(categories);
    return { subject: `${this.subjectPrefix}.>`, keeps: (subject) => keepsCategory(subjectCategory(subject)) };
  }

  private subjectOf(streamId: string): string {
    const { category, entityId } = parseStreamId(streamId);
    return `${this.subjectPrefix}.${category}.${entityId}`;
  }

  /** The manager and stream handles, looked up once; a failed lookup is retried by the next call. */
  private bind(): Promise<Binding> {
    this.binding ??= (async () => {
      const jsm = await this.nc.jetstreamManager();
      return { jsm, stream: await this.js.streams.get(this.streamName) };
    })().catch((err: unknown) => {
      this.binding = null;
      throw toStoreError(err, `open stream ${this.streamName}`);
    });
    return this.binding;
  }

  /**
   * JetStream's direct get (ADR-31): the first message on `subject` at or after `sequence`, or null.
   * Requested by hand because this client's typed API cannot ask for `next_by_subj`.
   */
  /** Whether the stream keeps several copies (a cluster): then reads go to its leader. */
  private get replicated(): boolean {
    return (this.options.replicas ?? 1) > 1;
  }

  private async nextOnSubject(subject: string, sequence: number): Promise<StoredMessage | null> {
    if (this.replicated) return this.nextOnSubjectFromLeader(subject, sequence);
    const reply = await this.nc.request(this.directGetSubject, Buffer.from(JSON.stringify({ seq: sequence, next_by_subj: subject })), {
      timeout: REQUEST_TIMEOUT_MS,
    });
    const header = reply.headers;
    if (header?.hasError) {
      if (header.code === 404) return null;
      throw new NatsError(header.description, String(header.code));
    }
    const storedSubject = header?.get(DIRECT_SUBJECT);
    const storedSequence = Number(header?.get(DIRECT_SEQUENCE));
    if (!storedSubject || !Number.isSafeInteger(storedSequence)) throw new Error(`direct get on ${this.streamName} returned no message headers`);
    return { subject: storedSubject, seq: storedSequence, data: reply.data };
  }

  /** The same through the stream's leader ($JS.API.STREAM.MSG.GET): what every acknowledged append is on. */
  private async nextOnSubjectFromLeader(subject: string, sequence: number): Promise<StoredMessage | null> {
    const reply = await this.nc.request(`$JS.API.STREAM.MSG.GET.${this.streamName}`, Buffer.from(JSON.stringify({ seq: sequence, next_by_subj: subject })), {
      timeout: REQUEST_TIMEOUT_MS,
    });
    const body = JSON.parse(Buffer.from(reply.data).toString('utf8')) as {
      message?: { subject: string; seq: number; data?: string };
      error?: { code: number; err_code?: number; description: string };
    };
    if (body.error) {
      if (body.error.err_code === ERR_NO_MESSAGE_FOUND) return null;
      throw new NatsError(body.error.description, String(body.error.code));
    }
    if (!body.message) throw new Error(`a get on ${this.streamName} returned no message`);
    return { subject: body.message.subject, seq: body.message.seq, data: Buffer.from(body.message.data ?? '', 'base64') };
  }

  private appendError(err: unknown, streamId: string, expected: ExpectedVersion, size: number): unknown {
    if (err instanceof NatsError) {
      const code = err.api_error?.err_code;
      if (code === ERR_WRONG_LAST_SEQUENCE) return new WrongExpectedVersionError(streamId, expected, lastSequenceOf(err));
      if (code === ERR_MESSAGE_TOO_LARGE || err.code === ErrorCode.MaxPayloadExceeded) {
        const max = this.nc.info?.max_payload;
        return invalidArgument(
          `commit on ${streamId} is ${size} bytes, more than the server accepts${max === undefined ? '' : ` (max_payload ${max} bytes)`}: ${err.message}`,
        );
      }
    }
    return toStoreError(err, `append to ${streamId} (outcome unknown on a timeout: retry with the same commitId)`);
  }
}

/**
 * Follows the connection's status for subscriptions: they drop on a disconnect and resume once
 * the client has reconnected (it retries forever: `maxReconnectAttempts: -1`).
 */
class ConnectionWatch {
  /** A store is used over an established connection; the status stream only reports changes. */
  private connectedNow = true;
  private readonly disconnectListeners = new Set<() => void>();
  private readonly reconnectWaiters = new Set<() => void>();
  private readonly status: AsyncIterable<Status>;

  constructor(private readonly nc: NatsConnection) {
    this.status = nc.status();
    void this.follow();
    void nc.closed().then(() => this.wakeWaiters());
  }

  get isConnected(): boolean {
    return this.connectedNow && !this.nc.isClosed();
  }

  onDisconnect(listener: () => void): () => void {
    this.disconnectListeners.add(listener);
    return () => this.disconnectListeners.delete(listener);
  }

  /** Resolves true once connected, false when the connection is closed for good or `signal` aborts. */
  async connected(signal: AbortSignal): Promise<boolean> {
    while (!this.connectedNow && !this.nc.isClosed() && !signal.aborted) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          this.reconnectWaiters.delete(done);
          signal.removeEventListener('abort', done);
          resolve();
        };
        this.reconnectWaiters.add(done);
        signal.addEventListener('abort', done, { once: true });
      });
    }
    return this.connectedNow && !this.nc.isClosed() && !signal.aborted;
  }

  stop(): void {
    if (hasStop(this.status)) this.status.stop();
  }

  private async follow(): Promise<void> {
    for await (const status of this.status) {
      if (status.type === Events.Disconnect) {
        this.connectedNow = false;
        for (const listener of [...this.disconnectListeners]) listener();
      } else if (status.type === Events.Reconnect) {
        this.connectedNow = true;
        this.wakeWaiters();
      }
    }
    this.wakeWaiters();
  }

  private wakeWaiters(): void {
    for (const wake of [...this.reconnectWaiters]) wake();
  }
}

/** `nc.status()` is typed as a plain AsyncIterable, but it is a QueuedIterator that can be stopped. */
const hasStop = (iterable: object): iterable is { stop(): void } => typeof (iterable as { stop?: unknown }).stop === 'function';

/**
 * What a status message on a pull's inbox means: `end` for the server's "no more" (404 No Messages,
 * 408 Request Timeout, the way a no_wait pull ends), an error for anything else.
 */
function pullStatus(msg: Msg): 'heartbeat' | 'end' | Error {
  const code = msg.headers?.code ?? 0;
  if (code === 100) return 'heartbeat';
  if (code === 404 || code === 408) return 'end';
  if (code === 503) return new NatsError('no responders for a pull', ErrorCode.NoResponders);
  return new NatsError(`pull failed: ${code} ${msg.headers?.description ?? 'without a status'}`, String(code));
}

/**
 * The stream sequence of a delivered message, from its ack subject:
 * `$JS.ACK.<stream>.<consumer>.<delivered>.<stream seq>.<consumer seq>.<time>.<pending>`, or with
 * `<domain>.<account hash>` after `$JS.ACK` and a random token at the end (nats-server 2.10+).
 */
function sequenceOfAck(reply: string | undefined): number | null {
  if (!reply) return null;
  const tokens = reply.split('.');
  const index = tokens.length === 9 ? 5 : tokens.length >= 11 ? 7 : -1;
  const seq = index < 0 ? NaN : Number(tokens[index]);
  return Number.isSafeInteger(seq) && seq > 0 ? seq : null;
}

async function stopWhenLost(messages: ConsumerMessages): Promise<void> {
  for await (const status of await messages.status()) {
    if (CONSUMER_LOST.has(status.type)) {
      messages.stop();
      return;
    }
  }
}

function consumerConfig(filterSubject: string, startSequence: number, idleMs: number): Partial<ConsumerConfig> {
  return {
    // Every context's events are the whole stream: no filter, so the server need not count what matches.
    ...(filterSubject === `events.${ALL_CONTEXTS}.>` ? {} : { filter_subject: filterSubject }),
    deliver_policy: DeliverPolicy.StartSequence,
    opt_start_seq: startSequence,
    ack_policy: AckPolicy.None,
    mem_storage: true,
    num_replicas: 1,
    inactive_threshold: nanos(idleMs),
  };
}

/** The first stream sequence after an exclusive position. */
function nextSequence(from: bigint | null): number {
  assertPosition(from);
  if (from === null) return 1;
  if (from >= BigInt(Number.MAX_SAFE_INTEGER)) throw invalidArgument(`position ${from} is outside JetStream's sequence range`);
  return Number(from) + 1;
}

function decodeCommit(subject: string, sequence: number, data: Uint8Array): StoredEvent[] {
  // Buffer decodes UTF-8 faster than TextDecoder; replays decode millions of these.
  const body = JSON.parse(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8')) as Partial<CommitBody>;
  if (!Array.isArray(body.events)) throw new Error(`message ${sequence} on ${subject} is not an event-store commit`);
  const streamId = streamIdOfSubject(subject);
  const position = BigInt(sequence);
  // The parsed objects are ours alone: completed in place rather than copied.
  const events = body.events as StoredEvent[];
  for (const event of events) {
    event.streamId = streamId;
    event.position = position;
    event.streamVersion = position;
  }
  return events;
}

/** `events.<context>.<category>.<id>` → `<category>-<id>`. */
function streamIdOfSubject(subject: string): string {
  // indexOf rather than split: a replay decodes millions of these.
  const second = subject.indexOf('.', subject.indexOf('.') + 1);
  const third = subject.indexOf('.', second + 1);
  if (second < 0 || third < 0 || subject.indexOf('.', third + 1) >= 0) throw new Error(`subject ${subject} does not name an event stream`);
  return `${subject.slice(second + 1, third)}-${subject.slice(third + 1)}`;
}

const subjectCategory = (subject: string): string => subject.split('.', 3)[2] ?? '';

function matches(current: StreamConfig, wanted: Partial<StreamConfig>): boolean {
  return (Object.keys(wanted) as (keyof StreamConfig)[]).every(
    (key) => JSON.stringify(current[key]) === JSON.stringify(wanted[key]),
  );
}

function lastSequenceOf(err: NatsError): bigint | null {
  const match = /(\d+)\s*$/.exec(err.api_error?.description ?? err.message);
  if (!match) return null;
  const sequence = BigInt(match[1]);
  return sequence === 0n ? null : sequence;
}

function toStoreError(err: unknown, action: string): unknown {
  if (err instanceof NatsError && UNAVAILABLE.has(err.code)) return new EventStoreUnavailableError(`${action}: ${err.message}`, err);
  return err;
}
