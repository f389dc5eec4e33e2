import { randomUUID } from 'node:crypto';
import { describeEventStoreConformance } from './conformance';
import { InMemoryEventStore } from './in-memory';
import { ALL_CONTEXTS, EventStoreUnavailableError, type EventMetadata } from './port';

let latest: InMemoryEventStore | null = null;
describeEventStoreConformance('InMemoryEventStore', {
  create: async () => (latest = new InMemoryEventStore()),
  // Drops the live feeds of the store the test made, as a lost connection would.
  interrupt: async () => latest?.interrupt(),
  createPair: async () => {
    const ours = new InMemoryEventStore({ context: 'c' });
    return [ours, ours.sibling({ context: 'cx' }), ours.sibling({ context: ALL_CONTEXTS })];
  },
});

const options = (): { commitId: string; metadata: EventMetadata } => ({
  commitId: randomUUID(),
  metadata: {
    commandId: randomUUID(),
    correlationId: randomUUID(),
    causationId: randomUUID(),
    actor: { accountUuid: null, via: 'system' },
    occurredAt: new Date().toISOString(),
  },
});

describe('InMemoryEventStore', () => {
  it('has no head position while empty', async () => {
    const store = new InMemoryEventStore();
    expect(await store.headPosition()).toBeNull();
    expect(await store.readAll(null)).toEqual([]);
  });

  it('counts commits per stream for versions and across the log for positions', async () => {
    const store = new InMemoryEventStore();
    const a = await store.append('account-a', [{ type: 'A1', data: {} }, { type: 'A2', data: {} }], 'noStream', options());
    const b = await store.append('account-b', [{ type: 'B1', data: {} }], 'noStream', options());
    const a2 = await store.append('account-a', [{ type: 'A3', data: {} }], a.nextExpectedVersion, options());
    expect([a.nextExpectedVersion, b.nextExpectedVersion, a2.nextExpectedVersion]).toEqual([1n, 1n, 2n]);
    expect([a.position, b.position, a2.position]).toEqual([1n, 2n, 3n]);
    expect(await store.headPosition()).toBe(3n);
  });

  it('refuses work once closed', async () => {
    const store = new InMemoryEventStore();
    await store.close();
    await expect(store.readStream('account-a')).rejects.toThrow(EventStoreUnavailableError);
  });
});
