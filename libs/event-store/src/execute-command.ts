import {
  WrongExpectedVersionError, type EventMetadata, type EventStore, type NewEvent, type StoredEvent,
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
  maxAttempts?: number;
}

export interface Executed<S, E> {
  state: S | null;
  events: E[];
  /** Log position of the append; null when the decision produced no events. */
  position: bigint | null;
}

/** The stream has changed under the command more often than the retry budget allows. */
export class ConcurrencyExhaustedError extends Error {}

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

/**
 * The one command cycle: load, decide, append with the expected version; on a version conflict,
 * reload from the store and decide again, a bounded number of times. The commit id makes a
 * retried command (same id) write nothing twice.
 */
export async function executeCommand<S, E extends { type: string; data: object }>(
  c: ExecuteCommand<S, E>,
): Promise<Executed<S, E>> {
  const attempts = c.maxAttempts ?? 5;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const loaded = (attempt === 1 && c.cached?.()) || (await loadAggregate(c.store, c.streamId, c.evolve));
    const events = await c.decide(loaded.state);
    if (events.length === 0) return { state: loaded.state, events, position: null };
    try {
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
      if (!(error instanceof WrongExpectedVersionError)) throw error;
    }
  }
  throw new ConcurrencyExhaustedError(`stream ${c.streamId} kept changing during the command; try again`);
}
