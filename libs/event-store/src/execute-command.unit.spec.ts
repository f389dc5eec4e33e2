import { randomUUID } from 'node:crypto';
import { executeCommand, type Loaded } from './execute-command';
import { InMemoryEventStore } from './in-memory';
import { EventStoreUnavailableError, type EventMetadata, type EventStore, type ReadStreamOptions } from './port';

/** A counter aggregate: `Added {n}` events; the state is the running total and how many were added. */
interface Total { sum: number; count: number }
type Added = { type: 'Added'; data: { n: number } };
const evolve = (state: Total | null, event: Added): Total => ({ sum: (state?.sum ?? 0) + event.data.n, count: (state?.count ?? 0) + 1 });

/** A command's commit id and metadata: the commit id is its command id, as the services make them. */
function command(commitId = randomUUID()): { commitId: string; metadata: EventMetadata } {
  return {
    commitId,
    metadata: { commandId: commitId, correlationId: randomUUID(), causationId: randomUUID(), actor: { accountUuid: null, via: 'system' }, occurredAt: new Date().toISOString() },
  };
}

/** The store as the command sees it, recording each readStream's `after` and how many events it returned. */
function recordingReads(store: EventStore): { store: EventStore; reads: Array<{ after: bigint | undefined; events: number }> } {
  const reads: Array<{ after: bigint | undefined; events: number }> = [];
  const recorded = Object.create(store) as EventStore;
  recorded.readStream = async (streamId: string, options?: ReadStreamOptions) => {
    const result = await store.readStream(streamId, options);
    reads.push({ after: options?.after, events: result.events.length });
    return result;
  };
  return { store: recorded, reads };
}

async function addAll(store: EventStore, streamId: string, count: number): Promise<bigint> {
  let version: bigint | 'noStream' = 'noStream';
  for (let i = 0; i < count; i++) {
    version = (await store.append(streamId, [{ type: 'Added', data: { n: 1 } }], version, command())).nextExpectedVersion;
  }
  return version as bigint;
}

const add = (n: number) => (state: Total | null): Added[] => (state && state.sum >= 1000 ? [] : [{ type: 'Added', data: { n } }]);

describe('executeCommand', () => {
  it('lost a race (a stale cache): decides again on the store\'s state, reading only the commits after the one it decided on', async () => {
    const inner = new InMemoryEventStore();
    const streamId = `counter-${randomUUID()}`;
    await addAll(inner, streamId, 500);
    const stale: Loaded<Total> = { state: { sum: 1, count: 1 }, version: 1n };
    const { store, reads } = recordingReads(inner);
    const decided: Array<number | undefined> = [];
    const done = await executeCommand<Total, Added>({
      store, streamId, evolve, cached: () => stale, ...command(),
      decide: (state) => {
        decided.push(state?.count);
        return add(5)(state);
      },
    });
    expect(decided).toEqual([1, 500]);
    expect(done.state).toEqual({ sum: 505, count: 501 });
    expect(reads).toEqual([{ after: 1n, events: 499 }]);
    const { events, version } = await inner.readStream(streamId);
    expect(events).toHaveLength(501);
    expect(version).toBe(501n);
  });

  it('a conflict on a long stream reads what followed, not the stream again', async () => {
    const inner = new InMemoryEventStore();
    const streamId = `counter-${randomUUID()}`;
    const head = await addAll(inner, streamId, 2000);
    const { store, reads } = recordingReads(inner);
    const full = await inner.readStream(streamId);
    const current: Loaded<Total> = { state: full.events.reduce((s, e) => evolve(s, e as unknown as Added), null as Total | null), version: head };
    // Another writer appends once between this command's read and its append.
    let raced = false;
    const done = await executeCommand<Total, Added>({
      store, streamId, evolve, cached: () => current, ...command(),
      decide: async () => {
        if (!raced) {
          raced = true;
          await appendOne(inner, streamId, head);
        }
        return [{ type: 'Added', data: { n: 1 } }];
      },
    });
    expect(done.state).toEqual({ sum: 2002, count: 2002 });
    expect(reads).toEqual([{ after: head, events: 1 }]);
  });

  it('recovering: finds the earlier attempt\'s commit in the whole stream and takes it as the outcome', async () => {
    const store = new InMemoryEventStore();
    const streamId = `counter-${randomUUID()}`;
    const commitId = randomUUID();
    await addAll(store, streamId, 3);
    const first = await store.append(streamId, [{ type: 'Added', data: { n: 7 } }], 3n, command(commitId));
    await appendOne(store, streamId, first.nextExpectedVersion);
    const decide = jest.fn(add(7));
    const done = await executeCommand<Total, Added>({ store, streamId, evolve, decide, ...command(commitId), recovering: true });
    expect(decide).not.toHaveBeenCalled();
    expect(done).toEqual({ state: { sum: 10, count: 4 }, events: [], position: first.position });
    expect((await store.readStream(streamId)).events).toHaveLength(5);
  });

  it('an append that landed but whose answer was lost: the next attempt finds its own commit after the version it appended against, and writes nothing twice', async () => {
    const inner = new InMemoryEventStore();
    const streamId = `counter-${randomUUID()}`;
    const head = await addAll(inner, streamId, 50);
    const { store, reads } = recordingReads(inner);
    let lost = false;
    store.append = async (...args) => {
      const result = await inner.append(...args);
      if (!lost) {
        lost = true;
        // Another writer gets in after ours; then our answer is lost.
        await appendOne(inner, streamId, result.nextExpectedVersion);
        throw new EventStoreUnavailableError('connection lost before the acknowledgement');
      }
      return result;
    };
    const cachedState = await inner.readStream(streamId);
    const current: Loaded<Total> = { state: cachedState.events.reduce((s, e) => evolve(s, e as unknown as Added), null as Total | null), version: head };
    const done = await executeCommand<Total, Added>({
      store, streamId, evolve, cached: () => current, decide: add(3), ...command(), unavailableDeadlineMs: 5000,
    });
    expect(done.events).toEqual([]);
    expect(done.state).toEqual({ sum: 53, count: 51 });
    expect(reads).toEqual([{ after: head, events: 2 }]);
    const after = await inner.readStream(streamId);
    expect(after.events.map((e) => e.data.n)).toEqual([...Array(50).fill(1), 3, 1]);
  });
});

/** One more `Added {n: 1}` commit by another writer, at `version`. */
async function appendOne(store: EventStore, streamId: string, version: bigint): Promise<void> {
  await store.append(streamId, [{ type: 'Added', data: { n: 1 } }], version, command());
}
