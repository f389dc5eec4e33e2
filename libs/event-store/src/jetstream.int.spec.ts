import { randomUUID } from 'node:crypto';
import { NatsServer, freePort } from '@cp/testing';
import { connect, type NatsConnection } from 'nats';
import { describeEventStoreConformance } from './conformance';
import { deriveEventId } from './event-id';
import { JetStreamEventStore } from './jetstream';
import { ALL_CONTEXTS, EventStoreUnavailableError, type EventMetadata, type StoredEvent } from './port';
import { NatsCheckpointStore } from './checkpoints';
import { Projection, type ReadModel } from './projection';

let server: NatsServer;
let nc: NatsConnection;

beforeAll(async () => {
  server = await NatsServer.start();
  nc = await connect({ servers: server.url, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
});

afterAll(async () => {
  await nc?.close();
  await server?.stop();
});

/** A flush while the client is still reconnecting fails with DISCONNECT: retry until it goes through. */
async function reconnected(connection: NatsConnection): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await connection.flush();
    } catch (err) {
      if (attempt > 100) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

const uniqueContext = (): string => `ctx${randomUUID().replace(/-/g, '')}`;

async function storeOver(connection: NatsConnection, context = uniqueContext()): Promise<JetStreamEventStore> {
  const store = new JetStreamEventStore(connection, { context, maxAppendSize: 64 * 1024 });
  await store.init();
  return store;
}

const options = (): { commitId: string; metadata: EventMetadata } => ({
  commitId: randomUUID(),
  metadata: {
    commandId: randomUUID(),
    correlationId: randomUUID(),
    causationId: randomUUID(),
    actor: { accountUuid: null, via: 'nats' },
    occurredAt: new Date().toISOString(),
  },
});

// Declared first so that it runs against the still empty stream.
describe('JetStreamEventStore on an empty stream', () => {
  it('has no head position', async () => {
    const store = await storeOver(nc);
    expect(await store.headPosition()).toBeNull();
    await store.close();
  });
});

describeEventStoreConformance('JetStreamEventStore', {
  create: () => storeOver(nc),
  interrupt: () => server.restart(),
  createPair: async () => {
    const context = uniqueContext();
    return [await storeOver(nc, context), await storeOver(nc, `${context}x`), await storeOver(nc, ALL_CONTEXTS)];
  },
  maxAppendSize: 64 * 1024,
});

describe('JetStreamEventStore', () => {
  it('creates the stream as the architecture decided, and init() is idempotent', async () => {
    const store = new JetStreamEventStore(nc, { context: uniqueContext(), duplicateWindowMs: 90_000 });
    await store.init();
    await store.init();
    const { config } = await (await nc.jetstreamManager()).streams.info('EVENTS');
    expect(config).toMatchObject({
      subjects: ['events.>'],
      storage: 'file',
      deny_delete: true,
      deny_purge: true,
      allow_direct: true,
      duplicate_window: 90_000 * 1_000_000,
    });
    await store.close();
  });

  it('writes one message per commit on events.<context>.<category>.<id>, keyed by the commit id', async () => {
    const context = uniqueContext();
    const store = await storeOver(nc, context);
    const commit = options();
    const result = await store.append(
      'account-42',
      [{ type: 'AccountCreated', data: { name: 'a' } }, { type: 'AccountActivated', data: {}, schemaVersion: 3 }],
      'noStream',
      commit,
    );

    const message = await (await nc.jetstreamManager()).streams.getMessage('EVENTS', { seq: Number(result.position) });
    expect(message.subject).toBe(`events.${context}.account.42`);
    expect(message.header.get('Nats-Msg-Id')).toBe(commit.commitId);
    expect(message.header.get('Nats-Expected-Last-Subject-Sequence')).toBe('0');
    expect(message.json()).toEqual({
      events: [
        { eventId: deriveEventId(commit.commitId, 0), type: 'AccountCreated', schemaVersion: 1, data: { name: 'a' }, metadata: commit.metadata },
        { eventId: deriveEventId(commit.commitId, 1), type: 'AccountActivated', schemaVersion: 3, data: {}, metadata: commit.metadata },
      ],
    });
    expect(result.nextExpectedVersion).toBe(result.position);
    expect(await store.headPosition()).toBe(result.position);
    await store.close();
  });

  it('rejects a commit larger than the server accepts with a clear SYS.1007, before sending it', async () => {
    const store = new JetStreamEventStore(nc, { context: uniqueContext() });
    await store.init();
    const big = 'x'.repeat((nc.info?.max_payload ?? 1024 * 1024) + 1);
    await expect(store.append('account-1', [{ type: 'Big', data: { big } }], 'noStream', options())).rejects.toThrow(/SYS.1007.*max_payload/);
    const almost = 'x'.repeat((nc.info?.max_payload ?? 1024 * 1024) - 100);
    await expect(store.append('account-1', [{ type: 'Big', data: { almost } }], 'noStream', options())).rejects.toThrow(/SYS.1007/);
    await store.close();
  });

  it('reports a closed connection as unavailable', async () => {
    const own = await connect({ servers: server.url });
    const store = await storeOver(own);
    await own.close();
    await expect(store.append('account-1', [{ type: 'A', data: {} }], 'noStream', options())).rejects.toThrow(EventStoreUnavailableError);
    await expect(store.readStream('account-1')).rejects.toThrow(EventStoreUnavailableError);
  });

  it('reads an existing stream without init(), and reports a missing stream', async () => {
    const context = uniqueContext();
    const writer = await storeOver(nc, context);
    const appended = await writer.append('account-1', [{ type: 'A', data: {} }], 'noStream', options());
    const reader = new JetStreamEventStore(nc, { context });
    expect((await reader.readStream('account-1')).version).toBe(appended.nextExpectedVersion);
    const lost = new JetStreamEventStore(nc, { context: uniqueContext(), streamName: 'NO_SUCH_STREAM' });
    await expect(lost.readAll(null)).rejects.toThrow(/stream not found/);
    await writer.close();
  });

  it('rejects a context that cannot be a subject token', () => {
    expect(() => new JetStreamEventStore(nc, { context: 'a.b' })).toThrow(RangeError);
  });

  it('closes a subscription promptly while the server is down', async () => {
    const store = await storeOver(nc);
    const subscription = await store.subscribeAll({ from: null, onEvent: () => undefined });
    await server.stop({ keepStore: true });
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const started = Date.now();
      await subscription.close();
      expect(Date.now() - started).toBeLessThan(1_000);
    } finally {
      await server.restart();
      await reconnected(nc);
    }
    await store.close();
  });

  it('has an identity of its stream, and a checkpoint of another server\'s stream is replayed over, not resumed', async () => {
    const context = uniqueContext();
    const store = await storeOver(nc, context);
    expect(await store.storeIdentity()).toMatch(/^jetstream:EVENTS:\d{4}-/);
    expect(await store.storeIdentity()).toBe(await (await storeOver(nc)).storeIdentity());

    class Types implements ReadModel {
      readonly filter = { categories: ['account'] };
      applied: string[] = [];
      apply(event: StoredEvent): void {
        this.applied.push(event.type);
      }
      snapshot(): unknown {
        return this.applied;
      }
      restore(data: unknown): void {
        this.applied = [...(data as string[])];
      }
    }
    const bucket = await NatsCheckpointStore.open(nc);
    const name = `accounts-${context}`;
    for (let i = 0; i < 3; i++) await store.append(`account-${i}`, [{ type: `Here${i}`, data: {} }], 'noStream', options());
    const here = new Projection(store, new Types(), { name, store: bucket, intervalMs: 60_000 });
    await here.start();
    await here.stop();
    expect(await bucket.load(name)).toMatchObject({ store: await store.storeIdentity() });

    // Another server: another EVENTS stream, whose sequences mean other events; the same bucket.
    const other = await NatsServer.start();
    const otherNc = await connect({ servers: other.url });
    try {
      const elsewhere = await storeOver(otherNc, context);
      await elsewhere.append('account-x', [{ type: 'There0', data: {} }], 'noStream', options());
      expect(await elsewhere.storeIdentity()).not.toBe(await store.storeIdentity());
      const there = new Projection(elsewhere, new Types(), { name, store: bucket, intervalMs: 60_000 });
      await there.start();
      expect(there.resumedFrom).toBeNull();
      expect(there.checkpointIgnored).toMatch(/taken on store jetstream:EVENTS:/);
      expect((there.readModel as Types).applied).toEqual(['There0']);
      await there.stop();
      await elsewhere.close();
    } finally {
      await otherNc.close();
      await other.stop();
    }
    await bucket.remove(name);
    await store.close();
  });

  describe('connect()', () => {
    it('owns its connection and closes it on close()', async () => {
      const store = await JetStreamEventStore.connect({ servers: server.url, context: uniqueContext() });
      const appended = await store.append('account-1', [{ type: 'A', data: {} }], 'noStream', options());
      expect((await store.readStream('account-1')).version).toBe(appended.nextExpectedVersion);
      await store.close();
      await expect(store.readStream('account-1')).rejects.toThrow(EventStoreUnavailableError);
    });

    it('fails with EventStoreUnavailableError when no server listens', async () => {
      const port = await freePort();
      await expect(JetStreamEventStore.connect({ servers: `nats://127.0.0.1:${port}`, context: 'identity' })).rejects.toThrow(
        EventStoreUnavailableError,
      );
    });
  });
});
