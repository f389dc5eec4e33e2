import {
  EventStoreUnavailableError, WrongExpectedVersionError, type EventMetadata, type EventStore, type NewEvent, type StoredEvent,
} from './port';

/** An aggregate's pure fold, with the state and the version it was read at. */
export interface Loaded<S> {
  state: S | null;
  /** null: the stream does not exist. */
  version: bigint | null;
}

export interface ExecuteCommand<S, E extends { type: string; data: object }> {
  store: EventStore;
  streamId: string;
  evolve: (state: S | null, event: E) => S | null;
  /** The first attempt's state, e.g. from a read model kept current by a subscription. May be stale. */
  cached?: () => Loaded<S> | undefined;
  /** Pure decision; may be async only to compute inputs such as password hashes. Throw to refuse. */
  decide: (state: S | null) => E[] | Promise<E[]>;
  commitId: string;
  metadata: EventMetadata;
  /**
   * An earlier attempt of this command may have appended before it died: read the aggregate from the
   * store, not the cache, and take that attempt's commit as the outcome instead of deciding again.
   */
  recovering?: boolean;
  /** How long version conflicts are retried (with jitter) before giving up. */
  conflictDeadlineMs?: number;
  /** How long an unreachable store is waited for before the outcome is declared unknown. */
  unavailableDeadlineMs?: number;
}

export interface Executed<S, E> {
  state: S | null;
  events: E[];
  /** Log position of the append; null when the decision produced no events. */
  position: bigint | null;
}

/** The stream has changed under the command for longer than the conflict deadline. */
export class ConcurrencyExhaustedError extends Error {}

/**
 * The store stayed unreachable, so whether the append landed is not known. Nothing may record a
 * guess: a retry with the same commit id (recovering) finds out from the log.
 */
export class CommandOutcomeUnknownError extends Error {}

export const DEFAULT_CONFLICT_DEADLINE_MS = 10_000;
export const DEFAULT_UNAVAILABLE_DEADLINE_MS = 45_000;
/** An attempt slower than this was waiting for the store: its time does not count against the conflict deadline. */
const SLOW_ATTEMPT_MS = 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function fold<S, E extends { type: string; data: object }>(
  evolve: (state: S | null, event: E) => S | null, events: StoredEvent[], start: S | null = null,
): S | null {
  let state = start;
  for (const e of events) state = evolve(state, { type: e.type, data: e.data } as unknown as E);
  return state;
}

export async function loadAggregate<S, E extends { type: string; data: object }>(
  store: EventStore, streamId: string, evolve: (state: S | null, event: E) => S | null,
): Promise<Loaded<S>> {
  const { events, version } = await store.readStream(streamId);
  return { state: fold(evolve, events), version };
}

/** The end of the commit `commitId` wrote in these events (its last event's index), or -1. */
function commitEnd(events: StoredEvent[], commitId: string): number {
  for (let i = events.length - 1; i >= 0; i--) if (events[i].metadata?.commandId === commitId) return i;
  return -1;
}

type Start<S, E> = { loaded: Loaded<S> } | { done: Executed<S, E> };

/**
 * The aggregate from the store; when it already holds this command's commit, that commit is the
 * outcome. With `base` (what the last attempt decided on, at a version the stream had), only the
 * commits after it are read and folded onto it: a command that lost a race catches up on what is
 * new, at a cost that does not grow with the stream. This command's own commit (an append whose
 * acknowledgement was lost) can only be among those: it was appended against `base`'s version.
 */
async function startFromStore<S, E extends { type: string; data: object }>(
  c: ExecuteCommand<S, E>, base: Loaded<S> | undefined,
): Promise<Start<S, E>> {
  // A base at no version (the stream did not exist) has nothing to read after.
  const after = base?.version ?? undefined;
  const { events, version } = await c.store.readStream(c.streamId, after === undefined ? undefined : { after });
  const start = after === undefined ? null : base!.state;
  const end = commitEnd(events, c.commitId);
  if (end >= 0) return { done: { state: fold(c.evolve, events.slice(0, end + 1), start), events: [], position: events[end].position } };
  return { loaded: { state: fold(c.evolve, events, start), version } };
}

/**
 * The one command cycle: load, decide, append with the expected version. On a version conflict it
 * reads what followed from the store and decides again, with a jittered pause, until a deadline; an
 * unreachable store is waited for the same way. Every read from the store looks for this command's
 * own commit first (an earlier attempt's, or this one's whose acknowledgement was lost), so a command
 * id is applied at most once whatever the adapter's duplicate window.
 */
export async function executeCommand<S, E extends { type: string; data: object }>(
  c: ExecuteCommand<S, E>,
): Promise<Executed<S, E>> {
  const started = Date.now();
  // Time the store was unavailable (a failover) does not count against the conflict deadline.
  let conflictDeadline = started + (c.conflictDeadlineMs ?? DEFAULT_CONFLICT_DEADLINE_MS);
  const unavailableDeadline = started + (c.unavailableDeadlineMs ?? DEFAULT_UNAVAILABLE_DEADLINE_MS);
  let fromStore = c.recovering === true;
  /** What the last attempt decided on: a later attempt reads only what followed it. */
  let base: Loaded<S> | undefined;
  let conflicts = 0;
  let outages = 0;
  for (;;) {
    const attemptStarted = Date.now();
    try {
      const cached = fromStore ? undefined : c.cached?.();
      const start: Start<S, E> = cached ? { loaded: cached } : await startFromStore(c, base);
      if ('done' in start) return start.done;
      const { loaded } = start;
      base = loaded;
      const events = await c.decide(loaded.state);
      if (events.length === 0) return { state: loaded.state, events, position: null };
      const result = await c.store.append(
        c.streamId,
        events.map((e): NewEvent => ({ type: e.type, data: e.data as Record<string, unknown> })),
        loaded.version === null ? 'noStream' : loaded.version,
        { commitId: c.commitId, metadata: c.metadata },
      );
      let state = loaded.state;
      for (const e of events) state = c.evolve(state, e);
      return { state, events, position: result.position };
    } catch (error) {
      fromStore = true;
      if (error instanceof WrongExpectedVersionError) {
        // An attempt that took long was waiting for the store (a leader election), not losing races.
        const took = Date.now() - attemptStarted;
        if (took > SLOW_ATTEMPT_MS) conflictDeadline += took;
        if (Date.now() >= conflictDeadline) {
          throw new ConcurrencyExhaustedError(`stream ${c.streamId} kept changing during the command; try again`);
        }
        // Full jitter: contenders spread out instead of colliding again in step.
        await sleep(Math.random() * Math.min(100, 2 ** ++conflicts));
        continue;
      }
      if (!(error instanceof EventStoreUnavailableError)) throw error;
      const backoff = Math.min(2000, 50 * 2 ** outages);
      conflictDeadline += Date.now() - attemptStarted + backoff;
      if (Date.now() >= unavailableDeadline) {
        throw new CommandOutcomeUnknownError(`the event store did not answer for ${Math.round((Date.now() - started) / 1000)} s; send the command again with the same id to learn its outcome`);
      }
      outages++;
      await sleep(backoff);
    }
  }
}
