import { randomUUID } from 'node:crypto';
import { followLog } from './catch-up';
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

interface Commit {
  context: string;
  streamId: string;
  category: string;
  /** 1-based index in the log. */
  position: bigint;
  /** Number of commits in the stream up to and including this one. */
  version: bigint;
  /** The encoded events as JSON: every read hands out fresh objects, shaped by JSON like a real wire. */
  body: string;
}

/** Resolves everyone waiting for the next append. */
class Wakeup {
  private waiters = new Set<() => void>();

  notify(): void {
    const waiters = this.waiters;
    this.waiters = new Set();
    for (const wake of waiters) wake();
  }

  next(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const done = (): void => {
        this.waiters.delete(done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      this.waiters.add(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }
}

function expectationHolds(expected: ExpectedVersion, current: bigint | null): boolean {
  if (expected === 'any') return true;
  if (expected === 'noStream') return current === null;
  return current === expected;
}

/** The log and its indexes, shared by the stores of several contexts over one log (`sibling`). */
class Log {
  readonly id = randomUUID();
  readonly commits: Commit[] = [];
  /** By `<context>/<streamId>`. */
  readonly streams = new Map<string, Commit[]>();
  /** By `<context>/<commitId>`. */
  readonly results = new Map<string, AppendResult>();
  readonly appended = new Wakeup();
}

export interface InMemoryEventStoreOptions {
  /** The context writing through this store (default `test`): other contexts' streams are invisible to it. */
  context?: string;
  /** Commits larger than this (bytes of data and metadata as JSON) are refused. Default DEFAULT_MAX_APPEND_SIZE. */
  maxAppendSize?: number;
}

/**
 * The event store in process memory, for unit tests and local tools. It holds itself to the same
 * conformance suite as the real adapters. Stream versions count the stream's commits (1n, 2n, ...),
 * positions count the log's commits, so code that mixes the two up fails here as it would elsewhere.
 */
export class InMemoryEventStore implements EventStore {
  private readonly live = new Set<Subscription>();
  private closed = false;
  /** Aborted by `interrupt()`: the live feeds drop, as they would with a lost connection. */
  private connection = new AbortController();
  private readonly context: string;
  private readonly maxAppendSize: number;

  constructor(options: InMemoryEventStoreOptions = {}, private readonly shared = new Log()) {
    this.context = options.context ?? 'test';
    if (this.context !== ALL_CONTEXTS) assertNameToken('context', this.context);
    this.maxAppendSize = options.maxAppendSize ?? DEFAULT_MAX_APPEND_SIZE;
  }

  private get log(): Commit[] {
    return this.shared.commits;
  }

  /** A store of another context over the same log (as two services over one JetStream stream). */
  sibling(options: InMemoryEventStoreOptions): InMemoryEventStore {
    return new InMemoryEventStore(options, this.shared);
  }

  /** Drops every live subscription's feed, as a lost connection would; they resubscribe by themselves. */
  async interrupt(): Promise<void> {
    this.connection.abort();
    this.connection = new AbortController();
    this.shared.appended.notify();
  }

  async storeIdentity(): Promise<string> {
    return `memory:${this.shared.id}`;
  }

  async append(streamId: string, events: NewEvent[], expected: ExpectedVersion, options: AppendOptions): Promise<AppendResult> {
    this.assertOpen();
    if (this.context === ALL_CONTEXTS) throw new Error('a store over all contexts is read-only');
    const { category } = parseStreamId(streamId);
    const encoded = encodeEvents(events, options.commitId, options.metadata);
    assertCommitSize(streamId, encoded, this.maxAppendSize);
    const first = this.shared.results.get(`${this.context}/${options.commitId}`);
    if (first) return { ...first, duplicate: true };

    const key = `${this.context}/${streamId}`;
    const commits = this.shared.streams.get(key) ?? [];
    const current = commits.length === 0 ? null : BigInt(commits.length);
    if (!expectationHolds(expected, current)) throw new WrongExpectedVersionError(streamId, expected, current);

    const commit: Commit = {
      context: this.context,
      streamId,
      category,
      position: BigInt(this.log.length + 1),
      version: BigInt(commits.length + 1),
      body: JSON.stringify(encoded),
    };
    this.log.push(commit);
    commits.push(commit);
    this.shared.streams.set(key, commits);
    const result: AppendResult = { nextExpectedVersion: commit.version, position: commit.position, duplicate: false };
    this.shared.results.set(`${this.context}/${options.commitId}`, result);
    this.shared.appended.notify();
    return result;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<ReadStreamResult> {
    this.assertOpen();
    parseStreamId(streamId);
    const { after } = options;
    if (after !== undefined) assertPosition(after);
    const commits = this.shared.streams.get(`${this.context}/${streamId}`) ?? [];
    // Versions count commits: the commit after version v is commits[v].
    return {
      events: commits.slice(after === undefined ? 0 : Number(after)).flatMap(materialize),
      version: commits.length === 0 ? null : BigInt(commits.length),
    };
  }

  async readAll(from: bigint | null, options: { filter?: StreamFilter; limit?: number } = {}): Promise<StoredEvent[]> {
    this.assertOpen();
    assertPosition(from);
    const accepts = categoryPredicate(filterCategories(options.filter));
    const limit = readLimit(options.limit);
    const events: StoredEvent[] = [];
    for (let index = startIndex(from); index < this.log.length; index++) {
      const commit = this.log[index];
      if (!this.sees(commit) || !accepts(commit.category)) continue;
      const commitEvents = materialize(commit);
      if (!commitFits(events.length, commitEvents.length, limit)) break;
      events.push(...commitEvents);
      if (events.length >= limit) break;
    }
    return events;
  }

  async headPosition(): Promise<bigint | null> {
    this.assertOpen();
    return this.log.length === 0 ? null : BigInt(this.log.length);
  }

  async subscribeAll(options: SubscribeOptions): Promise<Subscription> {
    this.assertOpen();
    assertPosition(options.from);
    const accepts = categoryPredicate(filterCategories(options.filter));
    return followLog(
      {
        open: async (from, signal) => this.follow(from, accepts, signal),
        ready: async () => !this.closed,
      },
      options,
      this.live,
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.live].map((subscription) => subscription.close()));
  }

  private async *follow(from: bigint | null, accepts: (category: string) => boolean, signal: AbortSignal): AsyncGenerator<StoredEvent[]> {
    const connection = this.connection.signal;
    let next = startIndex(from);
    while (!signal.aborted) {
      if (connection.aborted) throw new EventStoreUnavailableError('the in-memory event store dropped the subscription (interrupt)');
      const commit = this.log[next];
      if (!commit) {
        await this.shared.appended.next(signal);
        continue;
      }
      next++;
      if (this.sees(commit) && accepts(commit.category)) yield materialize(commit);
    }
  }

  /** Whether a commit is in this store's context (every one, over ALL_CONTEXTS). */
  private sees(commit: Commit): boolean {
    return this.context === ALL_CONTEXTS || commit.context === this.context;
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreUnavailableError('the in-memory event store is closed');
  }
}

/** Index in the log of the first commit after `from`: positions are 1-based indexes. */
const startIndex = (from: bigint | null): number => (from === null ? 0 : from > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(from));

function materialize(commit: Commit): StoredEvent[] {
  const events = JSON.parse(commit.body) as EncodedEvent[];
  return events.map((event) => ({ ...event, streamId: commit.streamId, position: commit.position, streamVersion: commit.version }));
}
