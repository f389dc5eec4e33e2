/**
 * The event store port: one interface, several adapters (in-memory, NATS JetStream, EventStoreDB),
 * all held to the same conformance suite (conformance.ts).
 *
 * Versions and positions are opaque bigints chosen by the adapter. A caller only ever passes back a
 * version it was given by `readStream` or `append`; positions are totally ordered across the log.
 * On every wire (NATS, HTTP, JSON) positions travel as decimal strings: see `positionToString`.
 */
import { invalidArgument } from '@cp/contracts';

export type ExpectedVersion = 'noStream' | 'any' | bigint;

/**
 * The `context` of a read-only store over every context's events (the audit, replay tools): its
 * reads and subscriptions see every context's streams, as `<category>-<id>`; appends are refused.
 */
export const ALL_CONTEXTS = '*';

/** What a domain decision produces: a type and a JSON-serialisable payload. */
export interface NewEvent {
  type: string;
  data: Record<string, unknown>;
  /** Schema version of `data`, so upcasters can read old shapes. Defaults to 1. */
  schemaVersion?: number;
}

export interface EventMetadata {
  commandId: string;
  correlationId: string;
  causationId: string;
  actor: { accountUuid: string | null; via: 'rest' | 'nats' | 'system' };
  /** ISO-8601 UTC. */
  occurredAt: string;
}

export interface StoredEvent {
  eventId: string;
  streamId: string;
  type: string;
  schemaVersion: number;
  data: Record<string, unknown>;
  metadata: EventMetadata;
  /** Global log position of this event (events of one commit may share a position on some adapters). */
  position: bigint;
  /** The stream version after the commit that holds this event. */
  streamVersion: bigint;
}

export interface AppendOptions {
  /** Idempotency key: appending again with the same commit id writes nothing and returns the first result. */
  commitId: string;
  metadata: EventMetadata;
}

export interface AppendResult {
  /** The stream's version after this append: pass it as the next exact expected version. */
  nextExpectedVersion: bigint;
  /** Log position of the commit (the position of its last event). */
  position: bigint;
  /** True when the commit id had already been written: nothing new was stored. */
  duplicate: boolean;
}

export interface ReadStreamOptions {
  /** Exclusive: only the commits after this stream version. */
  after?: bigint;
}

export interface ReadStreamResult {
  events: StoredEvent[];
  /** null when the stream does not exist. */
  version: bigint | null;
}

/** Which streams a reader wants. Empty or absent: all streams. */
export interface StreamFilter {
  /** Stream categories: the part of a stream id before the first '-' (`account` for `account-<uuid>`). */
  categories?: string[];
}

export interface Subscription {
  /** Stop delivery; resolves once no more events will be handed to the handler. */
  close(): Promise<void>;
}

export interface SubscribeOptions {
  /** Exclusive: only events after this position. null: from the start of the log. */
  from: bigint | null;
  filter?: StreamFilter;
  /** Called for every event, in log order, one at a time (awaited). */
  onEvent: (event: StoredEvent) => void | Promise<void>;
  /** Called when the underlying connection drops and the subscription is re-established. */
  onResubscribe?: (lastPosition: bigint | null) => void;
}

export interface EventStore {
  append(streamId: string, events: NewEvent[], expected: ExpectedVersion, options: AppendOptions): Promise<AppendResult>;
  /**
   * The stream's events in order. With `after` (a version this stream had, from `readStream` or
   * `append`): only the commits after it, and `version` the stream's latest (`after` itself when
   * none followed): what a command that lost a race reads to catch up, at a cost that does not grow
   * with the stream.
   */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<ReadStreamResult>;
  /** Events after `from` (exclusive; null = from the start), in log order, up to `limit` events. */
  readAll(from: bigint | null, options?: { filter?: StreamFilter; limit?: number }): Promise<StoredEvent[]>;
  /** Optional fast path for long reads (replays): the log after `from` in chunks, in log order. */
  readAllChunks?(from: bigint | null, options?: { filter?: StreamFilter }): AsyncIterable<StoredEvent[]>;
  /** The position of the last commit in the log, or null for an empty log. */
  headPosition(): Promise<bigint | null>;
  /**
   * Optional fast path (JetStream: by the server's store time): the first position stored at or
   * after `at`, or null when none is. Without it a reader scans from the start.
   */
  firstPositionAtOrAfter?(at: Date): Promise<bigint | null>;
  /** Catch-up subscription: replays from `from`, then follows live; resubscribes by itself after a drop. */
  subscribeAll(options: SubscribeOptions): Promise<Subscription>;
  /**
   * Which store this is: the adapter kind and an identity of the log that changes when the log is
   * reset (a new JetStream stream, a wiped EventStoreDB). Positions are only meaningful within one
   * identity: a checkpoint taken on another is ignored (see Projection).
   */
  storeIdentity?(): Promise<string>;
  close(): Promise<void>;
}

/** The one error type for a failed optimistic-concurrency check, whatever the adapter. */
export class WrongExpectedVersionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    readonly actual: bigint | null,
  ) {
    super(`wrong expected version for stream ${streamId}: expected ${String(expected)}, actual ${actual === null ? 'none' : String(actual)}`);
    this.name = 'WrongExpectedVersionError';
  }
}

/** The store cannot be reached (connection refused, server gone): retryable. */
export class EventStoreUnavailableError extends Error {
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
    this.name = 'EventStoreUnavailableError';
  }
}

/**
 * The largest commit an adapter accepts by default, in bytes (its events' data and metadata as
 * JSON): EventStoreDB's default MaxAppendSize (1 MiB), which is also nats-server's default
 * max_payload. Larger commits are refused with SYS.1007 before anything is sent.
 */
export const DEFAULT_MAX_APPEND_SIZE = 1_048_576;

/** The largest log position any adapter uses (EventStoreDB's are unsigned 64-bit). */
const MAX_POSITION = 2n ** 64n - 1n;

/** A position a caller passed that no adapter can hold: SYS.1007, the caller's mistake, not a 5xx. */
export function assertPosition(from: bigint | null): void {
  if (from !== null && (from < 0n || from > MAX_POSITION)) throw invalidArgument(`invalid log position ${String(from)}: must be 0 to 2^64-1`);
}

export const positionToString = (p: bigint | null): string | null => (p === null ? null : p.toString());

export function parsePosition(text: string): bigint {
  if (!/^\d{1,20}$/.test(text)) throw new RangeError(`invalid log position: ${text}`);
  return BigInt(text);
}

export const streamCategory = (streamId: string): string => {
  const dash = streamId.indexOf('-');
  return dash < 0 ? streamId : streamId.slice(0, dash);
};

export const streamEntityId = (streamId: string): string => {
  const dash = streamId.indexOf('-');
  return dash < 0 ? '' : streamId.slice(dash + 1);
};
