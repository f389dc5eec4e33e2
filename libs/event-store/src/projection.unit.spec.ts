import { randomUUID } from 'node:crypto';
import { InMemoryEventStore } from './in-memory';
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
