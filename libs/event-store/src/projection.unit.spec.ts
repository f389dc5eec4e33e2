import { randomUUID } from 'node:crypto';
import { InMemoryEventStore } from './in-memory';
import { type Checkpoint, type CheckpointStore, type Snapshottable } from './checkpoints';
import { EventStoreUnavailableError, type AppendOptions, type StoredEvent } from './port';
import { Projection, type ReadModel } from './projection';

const options = (): AppendOptions => ({
  commitId: randomUUID(),
  metadata: {
    commandId: randomUUID(), correlationId: randomUUID(), causationId: randomUUID(),
    actor: { accountUuid: null, via: 'system' }, occurredAt: new Date().toISOString(),
  },
});

class Seen implements ReadModel {
  readonly applied: string[] = [];
  constructor(readonly filter: { categories: string[] }) {}
  apply(event: StoredEvent): void {
    this.applied.push(event.type);
  }
}

/** A store whose live feed holds events back until released, as a lagging replica's subscription would. */
class LaggingStore extends InMemoryEventStore {
  private gate: Promise<void> = Promise.resolve();
  private release: () => void = () => undefined;

  hold(): void {
    this.gate = new Promise((resolve) => (this.release = resolve));
  }

  open(): void {
    this.release();
  }

  override subscribeAll(...[options]: Parameters<InMemoryEventStore['subscribeAll']>) {
    return super.subscribeAll({ ...options, onEvent: async (event) => { await this.gate; await options.onEvent(event); } });
  }
}

describe('Projection.waitFor', () => {
  it('does not wait for a position of a stream its model does not follow', async () => {
    const store = new InMemoryEventStore();
    const accounts = new Projection(store, new Seen({ categories: ['account'] }));
    await accounts.start();
    await store.append('account-a', [{ type: 'A', data: {} }], 'noStream', options());
    const other = await store.append('iam2vid-v', [{ type: 'V', data: {} }], 'noStream', options());
    const started = Date.now();
    expect(await accounts.waitFor(other.position, 5000)).toBe(true);
    expect(Date.now() - started).toBeLessThan(1000);
    // Known complete from then on: asked again, it answers at once.
    expect(await accounts.waitFor(other.position, 0)).toBe(true);
    await accounts.stop();
  });

  it('still waits for its own events before a foreign position', async () => {
    const store = new LaggingStore();
    const model = new Seen({ categories: ['account'] });
    const accounts = new Projection(store, model);
    await accounts.start();
    store.hold();
    await store.append('account-a', [{ type: 'A', data: {} }], 'noStream', options());
    const other = await store.append('iam2vid-v', [{ type: 'V', data: {} }], 'noStream', options());
    const waiting = accounts.waitFor(other.position, 5000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(model.applied).toEqual([]);
    store.open();
    expect(await waiting).toBe(true);
    expect(model.applied).toEqual(['A']);
    await accounts.stop();
  });

  it('answers false when its own events do not arrive in time', async () => {
    const store = new LaggingStore();
    const accounts = new Projection(store, new Seen({ categories: ['account'] }));
    await accounts.start();
    store.hold();
    const own = await store.append('account-a', [{ type: 'A', data: {} }], 'noStream', options());
    expect(await accounts.waitFor(own.position, 100)).toBe(false);
    store.open();
    expect(await accounts.waitFor(own.position, 5000)).toBe(true);
    await accounts.stop();
  });

  it('asks the store nothing once live: its own and foreign positions come from the subscription', async () => {
    class CountingStore extends InMemoryEventStore {
      reads = 0;
      override readAll(...args: Parameters<InMemoryEventStore['readAll']>) {
        this.reads++;
        return super.readAll(...args);
      }
    }
    const store = new CountingStore();
    const accounts = new Projection(store, new Seen({ categories: ['account'] }));
    await accounts.start();
    const before = store.reads;
    for (let i = 0; i < 20; i++) {
      const own = await store.append(`account-${i}`, [{ type: 'A', data: {} }], 'noStream', options());
      expect(await accounts.waitFor(own.position, 5000)).toBe(true);
      const foreign = await store.append(`iam2vid-${i}`, [{ type: 'V', data: {} }], 'noStream', options());
      expect(await accounts.waitFor(foreign.position, 5000)).toBe(true);
    }
    expect(store.reads).toBe(before);
    await accounts.stop();
  });

});

describe('Projection.start', () => {
  it('goes on from what it applied when a catch-up read or the subscribe times out, instead of failing the start', async () => {
    class FlakyStore extends InMemoryEventStore {
      failures = 2;
      subscribeFailures = 1;
      override async readAll(...args: Parameters<InMemoryEventStore['readAll']>) {
        if (this.failures-- > 0) throw new EventStoreUnavailableError('read all: TIMEOUT');
        return super.readAll(...args);
      }
      override async subscribeAll(...args: Parameters<InMemoryEventStore['subscribeAll']>) {
        if (this.subscribeFailures-- > 0) throw new EventStoreUnavailableError('subscribe: TIMEOUT');
        return super.subscribeAll(...args);
      }
    }
    const store = new FlakyStore();
    for (let i = 0; i < 3; i++) await store.append(`account-${i}`, [{ type: 'A', data: {} }], 'noStream', options());
    const model = new Seen({ categories: ['account'] });
    const accounts = new Projection(store, model);
    await accounts.start();
    expect(model.applied).toEqual(['A', 'A', 'A']);
    const more = await store.append('account-9', [{ type: 'A', data: {} }], 'noStream', options());
    expect(await accounts.waitFor(more.position, 5000)).toBe(true);
    expect(model.applied).toHaveLength(4);
    await accounts.stop();
  });
});

/** A model with checkpoints: the types applied, as its snapshot. */
class Saved extends Seen implements Snapshottable {
  snapshot(): unknown {
    return [...this.applied];
  }
  restore(snapshot: unknown): void {
    this.applied.splice(0, this.applied.length, ...(snapshot as string[]));
  }
}

/** One checkpoint bucket shared by every store of a test, as the NATS object store is. */
class Bucket implements CheckpointStore {
  readonly saved = new Map<string, Checkpoint>();
  async load(name: string): Promise<Checkpoint | null> {
    return this.saved.get(name) ?? null;
  }
  async save(name: string, checkpoint: Checkpoint): Promise<void> {
    this.saved.set(name, structuredClone(checkpoint));
  }
  async remove(name: string): Promise<void> {
    this.saved.delete(name);
  }
}

describe('Projection checkpoints across stores', () => {
  const warnings: string[] = [];
  let spy: jest.SpyInstance;
  beforeEach(() => {
    warnings.length = 0;
    spy = jest.spyOn(process, 'emitWarning').mockImplementation((w: string | Error) => void warnings.push(String(w)));
  });
  afterEach(() => spy.mockRestore());

  async function checkpointed(store: InMemoryEventStore, bucket: Bucket): Promise<Projection> {
    const projection = new Projection(store, new Saved({ categories: ['account'] }), { name: 'accounts', store: bucket, intervalMs: 60_000 });
    await projection.start();
    return projection;
  }

  it('resumes from a checkpoint of the same store, carrying its identity', async () => {
    const store = new InMemoryEventStore();
    const bucket = new Bucket();
    for (let i = 0; i < 3; i++) await store.append(`account-${i}`, [{ type: `A${i}`, data: {} }], 'noStream', options());
    const first = await checkpointed(store, bucket);
    await first.stop();
    expect(bucket.saved.get('accounts')?.store).toBe(await store.storeIdentity());

    await store.append('account-9', [{ type: 'A9', data: {} }], 'noStream', options());
    const second = await checkpointed(store, bucket);
    expect(second.resumedFrom).toBe(3n);
    expect(second.eventsApplied).toBe(1);
    expect((second.readModel as Saved).applied).toEqual(['A0', 'A1', 'A2', 'A9']);
    expect(second.checkpointIgnored).toBeNull();
    await second.stop();
  });

  it('ignores, with a warning, a checkpoint of another store (a reset log) and replays from the start', async () => {
    const bucket = new Bucket();
    const before = new InMemoryEventStore();
    for (let i = 0; i < 5; i++) await before.append(`account-${i}`, [{ type: `Old${i}`, data: {} }], 'noStream', options());
    await (await checkpointed(before, bucket)).stop();
    expect(bucket.saved.get('accounts')?.position).toBe(5n);

    // The log was reset: the new store's head (2) is behind the checkpoint (5), its events all new.
    const after = new InMemoryEventStore();
    await after.append('account-a', [{ type: 'New0', data: {} }], 'noStream', options());
    await after.append('account-b', [{ type: 'New1', data: {} }], 'noStream', options());
    const projection = await checkpointed(after, bucket);
    expect(projection.resumedFrom).toBeNull();
    expect(projection.checkpointIgnored).toMatch(/taken on store memory:/);
    expect((projection.readModel as Saved).applied).toEqual(['New0', 'New1']);
    const live = await after.append('account-c', [{ type: 'New2', data: {} }], 'noStream', options());
    expect(await projection.waitFor(live.position, 5000)).toBe(true);
    expect((projection.readModel as Saved).applied).toEqual(['New0', 'New1', 'New2']);
    expect(warnings.some((w) => /checkpoint accounts ignored/.test(w))).toBe(true);
    await projection.stop();
    expect(bucket.saved.get('accounts')).toMatchObject({ position: live.position, store: await after.storeIdentity() });
  });

  it('ignores a checkpoint saved before checkpoints carried a store, and one past the head of the log', async () => {
    const store = new InMemoryEventStore();
    await store.append('account-a', [{ type: 'A', data: {} }], 'noStream', options());
    const bucket = new Bucket();
    bucket.saved.set('accounts', { position: 1n, data: ['Stale'], store: 'unknown' });
    const legacy = await checkpointed(store, bucket);
    expect((legacy.readModel as Saved).applied).toEqual(['A']);
    await legacy.stop();

    bucket.saved.set('accounts', { position: 7n, data: ['Ahead'], store: await store.storeIdentity() });
    const ahead = await checkpointed(store, bucket);
    expect(ahead.checkpointIgnored).toMatch(/past the head/);
    expect((ahead.readModel as Saved).applied).toEqual(['A']);
    await ahead.stop();
  });
});
