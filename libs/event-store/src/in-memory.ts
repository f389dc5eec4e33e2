import { followLog } from './catch-up';
import { commitFits, encodeEvents, readLimit, type EncodedEvent } from './commit';
import {
  EventStoreUnavailableError,
  WrongExpectedVersionError,
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type ExpectedVersion,
  type NewEvent,
  type ReadStreamResult,
  type StoredEvent,
  type StreamFilter,
  type SubscribeOptions,
  type Subscription,
} from './port';
import { categoryPredicate, filterCategories, parseStreamId } from './stream-id';

interface Commit {
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

/**
 * The event store in process memory, for unit tests and local tools. It holds itself to the same
 * conformance suite as the real adapters. Stream versions count the stream's commits (1n, 2n, ...),
 * positions count the log's commits, so code that mixes the two up fails here as it would elsewhere.
 */
export class InMemoryEventStore implements EventStore {
  private readonly log: Commit[] = [];
  private readonly streams = new Map<string, Commit[]>();
  private readonly results = new Map<string, AppendResult>();
  private readonly appended = new Wakeup();
  private readonly live = new Set<Subscription>();
  private closed = false;

  async append(streamId: string, events: NewEvent[], expected: ExpectedVersion, options: AppendOptions): Promise<AppendResult> {
    this.assertOpen();
    const { category } = parseStreamId(streamId);
    const encoded = encodeEvents(events, options.commitId, options.metadata);
    const first = this.results.get(options.commitId);
    if (first) return { ...first, duplicate: true };

    const commits = this.streams.get(streamId) ?? [];
    const current = commits.length === 0 ? null : BigInt(commits.length);
    if (!expectationHolds(expected, current)) throw new WrongExpectedVersionError(streamId, expected, current);

    const commit: Commit = {
      streamId,
      category,
      position: BigInt(this.log.length + 1),
      version: BigInt(commits.length + 1),
      body: JSON.stringify(encoded),
    };
    this.log.push(commit);
    commits.push(commit);
    this.streams.set(streamId, commits);
    const result: AppendResult = { nextExpectedVersion: commit.version, position: commit.position, duplicate: false };
    this.results.set(options.commitId, result);
    this.appended.notify();
    return result;
  }

  async readStream(streamId: string): Promise<ReadStreamResult> {
    this.assertOpen();
    parseStreamId(streamId);
    const commits = this.streams.get(streamId) ?? [];
    return {
      events: commits.flatMap(materialize),
      version: commits.length === 0 ? null : BigInt(commits.length),
    };
  }

  async readAll(from: bigint | null, options: { filter?: StreamFilter; limit?: number } = {}): Promise<StoredEvent[]> {
    this.assertOpen();
    const accepts = categoryPredicate(filterCategories(options.filter));
    const limit = readLimit(options.limit);
    const events: StoredEvent[] = [];
    for (let index = startIndex(from); index < this.log.length; index++) {
      const commit = this.log[index];
      if (!accepts(commit.category)) continue;
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
    let next = startIndex(from);
    while (!signal.aborted) {
      const commit = this.log[next];
      if (!commit) {
        await this.appended.next(signal);
        continue;
      }
      next++;
      if (accepts(commit.category)) yield materialize(commit);
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreUnavailableError('the in-memory event store is closed');
  }
}

/** Index in the log of the first commit after `from`: positions are 1-based indexes. */
const startIndex = (from: bigint | null): number => (from === null ? 0 : Number(from));

function materialize(commit: Commit): StoredEvent[] {
  const events = JSON.parse(commit.body) as EncodedEvent[];
  return events.map((event) => ({ ...event, streamId: commit.streamId, position: commit.position, streamVersion: commit.version }));
}
