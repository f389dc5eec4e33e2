import { randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from 'nats';
import { NatsServer } from '@cp/testing';
import { FreezableProxy } from '../../testing/src/tcp-proxy';
import { JetStreamEventStore } from './jetstream';
import { Projection, type ReadModel } from './projection';
import { EventStoreUnavailableError, type EventMetadata, type StoredEvent } from './port';

/**
 * The adapter's waits are bounded: a pull that the server never answers (a hung server, or one
 * killed with the pull in flight) fails as unavailable instead of waiting for ever, and
 * subscriptions and projections catch up by themselves after nats-server is killed and restarted.
 */

let server: NatsServer;

beforeAll(async () => {
  server = await NatsServer.start();
});

afterAll(async () => {
  await server?.stop();
});

const uniqueContext = (): string => `ctx${randomUUID().replace(/-/g, '')}`;

const options = (): { commitId: string; metadata: EventMetadata } => ({
  commitId: randomUUID(),
  metadata: {
    commandId: randomUUID(), correlationId: randomUUID(), causationId: randomUUID(),
    actor: { accountUuid: null, via: 'nats' }, occurredAt: new Date().toISOString(),
  },
});

const entity = (): string => randomUUID().replace(/-/g, '');

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Appends until one goes through (the client may still be reconnecting, JetStream recovering). */
async function appendSoon(store: JetStreamEventStore, streamId: string, n: number): Promise<bigint> {
  return until(`append ${n}`, 20_000, async () => {
    try {
      return (await store.append(streamId, [{ type: 'Counted', data: { n } }], 'any', options())).position;
    } catch (err) {
      if (err instanceof EventStoreUnavailableError) return undefined;
      throw err;
    }
  });
}

describe('JetStreamEventStore with a server that stops answering', () => {
  let proxy: FreezableProxy;
  let nc: NatsConnection;

  beforeEach(async () => {
    proxy = await FreezableProxy.start(server.port);
    // No pings within the test: the client believes it is connected all along.
    nc = await connect({ servers: proxy.url, maxReconnectAttempts: -1, reconnectTimeWait: 100, pingInterval: 120_000 });
  });

  afterEach(async () => {
    await nc.close().catch(() => undefined);
    await proxy.close();
  });

  it('fails a read whose pull is never answered (unavailable), within the pull bound', async () => {
    const store = new JetStreamEventStore(nc, { context: uniqueContext() });
    await store.init();
    await store.append(`counter-${entity()}`, [{ type: 'Counted', data: { n: 1 } }], 'noStream', options());
    expect(await store.readAll(null)).toHaveLength(1);

    // Consumer creation must go through, the pull must not: freeze once the pull's request is out.
    const jsm = await nc.jetstreamManager();
    const add = jsm.consumers.add.bind(jsm.consumers);
    jsm.consumers.add = async (...args: Parameters<typeof add>) => {
      const info = await add(...args);
      proxy.freeze();
      return info;
    };
    (store as unknown as { binding: Promise<unknown> }).binding = Promise.resolve({ jsm, stream: await nc.jetstream().streams.get('EVENTS') });

    const started = Date.now();
    const outcome = await store.readAll(null).then(() => 'answered', (err: unknown) => err);
    const took = Date.now() - started;
    expect(outcome).toBeInstanceOf(EventStoreUnavailableError);
    expect(took).toBeLessThan(8_000);
  }, 20_000);
});

describe('JetStreamEventStore across a kill -9 of nats-server', () => {
  let nc: NatsConnection;

  beforeEach(async () => {
    nc = await connect({ servers: server.url, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
  });

  afterEach(async () => {
    if (!server.running) await server.restart();
    await nc.close().catch(() => undefined);
  });

  it('fails a read in flight at once when the connection drops, and reads again after the restart', async () => {
    const store = new JetStreamEventStore(nc, { context: uniqueContext() });
    await store.init();
    const streamId = `counter-${entity()}`;
    for (let n = 1; n <= 3; n++) await store.append(streamId, [{ type: 'Counted', data: { n } }], 'any', options());

    await server.kill();
    const started = Date.now();
    await expect(store.readAll(null)).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(store.readStream(streamId)).rejects.toBeInstanceOf(EventStoreUnavailableError);
    expect(Date.now() - started).toBeLessThan(12_000);

    await server.restart();
    await until('the log read again', 20_000, async () => {
      const events = await store.readAll(null).catch(() => undefined);
      return events?.length === 3 ? events : undefined;
    });
    await store.close();
  }, 40_000);

  it('keeps a subscription and a projection following: both see what is appended after the restart', async () => {
    const context = uniqueContext();
    const store = new JetStreamEventStore(nc, { context });
    await store.init();
    const streamId = `counter-${entity()}`;
    const seen: StoredEvent[] = [];
    const resubscribed: Array<bigint | null> = [];
    const subscription = await store.subscribeAll({
      from: null, onEvent: (event) => { seen.push(event); }, onResubscribe: (last) => resubscribed.push(last),
    });

    const counts: number[] = [];
    const model: ReadModel = { filter: { categories: ['counter'] }, apply: (event) => counts.push(event.data.n as number) };
    const projection = new Projection(store, model);
    await projection.start();

    const before = await appendSoon(store, streamId, 1);
    expect(await projection.waitFor(before, 5_000)).toBe(true);

    // In flight when the server dies: some of these fail (unavailable), some may have been stored.
    const inFlight = Array.from({ length: 8 }, (_, i) => store.append(streamId, [{ type: 'Counted', data: { n: 100 + i } }], 'any', options()).catch((err: unknown) => err));
    await server.kill();
    await Promise.all(inFlight);
    await server.restart();

    const after = await appendSoon(store, streamId, 2);
    expect(await projection.waitFor(after, 30_000)).toBe(true);
    await until('the subscription caught up', 30_000, () => (seen.some((e) => e.position === after) ? true : undefined));

    // No gaps, no duplicates: exactly the log, in order, for both.
    const log = await store.readAll(null);
    expect(seen.map((e) => e.position)).toEqual(log.map((e) => e.position));
    expect(counts).toEqual(log.map((e) => e.data.n));
    expect(counts[0]).toBe(1);
    expect(counts.at(-1)).toBe(2);
    expect(resubscribed.length).toBeGreaterThanOrEqual(1);

    await projection.stop();
    await subscription.close();
    await store.close();
  }, 60_000);
});
