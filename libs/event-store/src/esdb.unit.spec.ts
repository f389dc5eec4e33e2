import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { EventStoreDBClient, NotLeaderError } from '@eventstore/db-client';
import { ZStackError } from '@cp/contracts';
import { ESDB_MAX_APPEND_SIZE, EventStoreDbEventStore, STORE_IDENTITY_STREAM, streamNamesOf } from './esdb';
import { EventStoreUnavailableError, type AppendOptions } from './port';

/**
 * What the EventStoreDB adapter decides before (or instead of) a round trip, against a stand-in
 * client: no server runs here (its conformance run needs ESDB_CONNECTION_STRING).
 */

const options = (): AppendOptions => ({
  commitId: randomUUID(),
  metadata: {
    commandId: randomUUID(), correlationId: randomUUID(), causationId: randomUUID(),
    actor: { accountUuid: null, via: 'system' }, occurredAt: new Date().toISOString(),
  },
});

/** The client's NotLeaderError, as it makes it from the server's answer (gRPC NOT_FOUND with the leader's endpoint). */
function notLeader(): NotLeaderError {
  const metadata = { getMap: () => ({ 'leader-endpoint-host': '10.0.0.2', 'leader-endpoint-port': '2113' }) };
  const error = Object.assign(new Error('Leader info available'), { code: 5, details: 'not leader', metadata });
  return new NotLeaderError(error as unknown as ConstructorParameters<typeof NotLeaderError>[0]);
}

async function* nothing(): AsyncGenerator<never> {}

/** A stand-in for the client: each method answers from the test's script. */
function fakeClient(script: Partial<Record<'appendToStream' | 'readStream' | 'readAll' | 'subscribeToAll', (...args: unknown[]) => unknown>>) {
  const calls: string[] = [];
  let channelClosed = false;
  const client = {
    calls,
    get channelClosed() {
      return channelClosed;
    },
    appendToStream: (...args: unknown[]) => (calls.push('append'), script.appendToStream?.(...args)),
    readStream: (...args: unknown[]) => (calls.push('readStream'), script.readStream ? script.readStream(...args) : nothing()),
    readAll: (...args: unknown[]) => (calls.push('readAll'), script.readAll ? script.readAll(...args) : nothing()),
    subscribeToAll: (...args: unknown[]) => (calls.push('subscribeToAll'), script.subscribeToAll?.(...args)),
    dispose: async () => void calls.push('dispose'),
    getChannel: async () => ({ close: () => void (channelClosed = true) }),
  };
  return client;
}

const storeOver = (client: ReturnType<typeof fakeClient>, maxAppendSize?: number): EventStoreDbEventStore => {
  const store = new EventStoreDbEventStore(client as unknown as EventStoreDBClient, { context: 'ctx', maxAppendSize });
  // As connect() makes it: the store owns (and disposes of) its client.
  (store as unknown as { ownsClient: boolean }).ownsClient = true;
  return store;
};

const invalidArgument = (err: unknown): boolean => err instanceof ZStackError && err.code === 'SYS.1007';

describe('EventStoreDbEventStore (no server)', () => {
  it('refuses a commit over the max append size with SYS.1007 before sending anything', async () => {
    const client = fakeClient({});
    const store = storeOver(client);
    const big = 'x'.repeat(ESDB_MAX_APPEND_SIZE);
    const err = await store.append('template-1', [{ type: 'TemplateAdded', data: { big } }], 'noStream', options()).catch((e: unknown) => e);
    expect(invalidArgument(err)).toBe(true);
    expect(String(err)).toMatch(/max append size 16767216 bytes/);
    expect(client.calls).toEqual([]);

    const small = storeOver(client, 100);
    expect(invalidArgument(await small.append('template-1', [{ type: 'T', data: { x: 'y'.repeat(100) } }], 'any', options()).catch((e: unknown) => e))).toBe(true);
    expect(client.calls).toEqual([]);
  });

  it('refuses an invalid position with SYS.1007 before asking the server', async () => {
    const client = fakeClient({});
    const store = storeOver(client);
    expect(invalidArgument(await store.readAll(-5n).catch((e: unknown) => e))).toBe(true);
    expect(invalidArgument(await store.readAll(2n ** 64n).catch((e: unknown) => e))).toBe(true);
    expect(invalidArgument(await store.subscribeAll({ from: -1n, onEvent: () => undefined }).catch((e: unknown) => e))).toBe(true);
    expect(client.calls).toEqual([]);
  });

  it('retries a call answered "not leader", with backoff, and gives up as unavailable after a bound', async () => {
    let failures = 2;
    const client = fakeClient({
      readAll: () => {
        if (failures-- > 0) throw notLeader();
        return nothing();
      },
    });
    const store = storeOver(client);
    expect(await store.headPosition()).toBeNull();
    expect(client.calls).toEqual(['readAll', 'readAll', 'readAll']);

    const stuck = fakeClient({ readAll: () => { throw notLeader(); } });
    const started = Date.now();
    const err = await storeOver(stuck).headPosition().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EventStoreUnavailableError);
    expect(String(err)).toMatch(/not leader/);
    expect(stuck.calls.length).toBe(6);
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 15_000);

  it('looks for its own commit at the end of the stream before appending at an exact version', async () => {
    const commit = options();
    const recorded = {
      streamId: 'ctx.account-1', revision: 4n, id: randomUUID(), type: 'AccountRenamed', isJson: true, data: {},
      metadata: { ...commit.metadata, schemaVersion: 1, commit: { id: commit.commitId, index: 0, size: 1, attempt: randomUUID() } },
      position: { commit: 900n, prepare: 900n },
    };
    const client = fakeClient({
      readStream: async function* () {
        yield { event: recorded };
      },
    });
    const store = storeOver(client);
    const result = await store.append('account-1', [{ type: 'AccountRenamed', data: {} }], 4n, commit);
    expect(result).toEqual({ nextExpectedVersion: 4n, position: 900n, duplicate: true });
    expect(client.calls).toEqual(['readStream']);
  });

  it('reads the log through a server-side filtered subscription up to the head, never reading $all forwards', async () => {
    const recordedAt = (streamId: string, position: bigint, revision = 0n) => ({
      event: {
        streamId, revision, id: randomUUID(), type: `At${position}`, isJson: true, data: {},
        metadata: { ...options().metadata, schemaVersion: 1, commit: { id: randomUUID(), index: 0, size: 1, attempt: randomUUID() } },
        position: { commit: position, prepare: position },
      },
    });
    let subscribed: { fromPosition: unknown; filter: { prefixes: string[]; checkpointReached: (s: unknown, p: unknown) => Promise<void> | void } } | undefined;
    const client = fakeClient({
      // The head of $all: the last record, of whatever stream.
      readAll: async function* () {
        yield recordedAt('other.template-1', 50n);
      },
      subscribeToAll: (opts: unknown) => {
        subscribed = opts as typeof subscribed;
        const stream = Object.assign(new PassThrough({ objectMode: true }), { unsubscribe: async () => undefined });
        setImmediate(async () => {
          stream.write(recordedAt('ctx.account-1', 10n));
          stream.write(recordedAt('ctx.account-2', 30n));
          await subscribed!.filter.checkpointReached(stream, { commit: 60n, prepare: 60n });
          stream.write(recordedAt('ctx.account-3', 70n));
        });
        return stream;
      },
    });
    const store = storeOver(client);
    const events = await store.readAll(null, { filter: { categories: ['account'] } });
    expect(events.map((e) => [e.streamId, e.position])).toEqual([['account-1', 10n], ['account-2', 30n]]);
    expect(subscribed?.filter.prefixes).toEqual(['ctx.account-']);
    expect(client.calls).toEqual(['readAll', 'subscribeToAll']);
    // From the head or after: nothing to read, no subscription.
    expect(await store.readAll(50n)).toEqual([]);
    expect(client.calls).toEqual(['readAll', 'subscribeToAll', 'readAll']);
  });

  it('resumes after its gRPC subscription is dropped (interrupt), from the last commit handed over', async () => {
    const recordedAt = (position: bigint) => ({
      event: {
        streamId: 'ctx.order-1', revision: position, id: randomUUID(), type: `At${position}`, isJson: true, data: {},
        metadata: { ...options().metadata, schemaVersion: 1, commit: { id: randomUUID(), index: 0, size: 1, attempt: randomUUID() } },
        position: { commit: position, prepare: position },
      },
    });
    const opened: Array<{ from: unknown; stream: PassThrough }> = [];
    const client = fakeClient({
      subscribeToAll: (opts: unknown) => {
        const stream = Object.assign(new PassThrough({ objectMode: true }), { unsubscribe: async () => undefined });
        opened.push({ from: (opts as { fromPosition: unknown }).fromPosition, stream });
        setImmediate(() => stream.emit('confirmation'));
        return stream;
      },
    });
    const store = storeOver(client);
    const seen: string[] = [];
    const resubscribed: Array<bigint | null> = [];
    const subscription = await store.subscribeAll({ from: null, onEvent: (e) => void seen.push(e.type), onResubscribe: (p) => void resubscribed.push(p) });
    opened[0].stream.write(recordedAt(10n));
    const until = async (done: () => boolean): Promise<void> => {
      for (let i = 0; !done(); i++) {
        if (i > 200) throw new Error('timed out');
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    await until(() => seen.length === 1);
    await store.interrupt();
    await until(() => opened.length === 2 && resubscribed.length === 1);
    expect(opened[1].from).toEqual({ commit: 10n, prepare: 10n });
    opened[1].stream.write(recordedAt(20n));
    await until(() => seen.length === 2);
    expect(seen).toEqual(['At10', 'At20']);
    expect(resubscribed).toEqual([10n]);
    await subscription.close();
  });

  it('closes the client and its gRPC channel on close()', async () => {
    const client = fakeClient({});
    const store = storeOver(client);
    await store.headPosition();
    await store.close();
    expect(client.calls).toContain('dispose');
    expect(client.channelClosed).toBe(true);
  });
});

describe('streamNamesOf: the server-side filter of a read or subscription', () => {
  it('filters one context by prefix, per category', () => {
    expect(streamNamesOf('identity.', undefined)).toEqual({ prefixes: ['identity.'] });
    expect(streamNamesOf('identity.', { categories: ['account', 'session'] })).toEqual({ prefixes: ['identity.account-', 'identity.session-'] });
  });

  it('over every context, matches each context\'s streams of the categories, and never a system or identity stream', () => {
    const every = new RegExp((streamNamesOf('', undefined) as { regex: string }).regex);
    for (const name of ['identity.account-1', 'baremetal.template-x-y', 'platform.platform-9']) expect(name).toMatch(every);
    for (const name of ['$et-AccountCreated', '$$identity.account-1', STORE_IDENTITY_STREAM, 'identity.account']) expect(name).not.toMatch(every);

    const accounts = new RegExp((streamNamesOf('', { categories: ['account', 'a+b'] }) as { regex: string }).regex);
    expect('identity.account-1').toMatch(accounts);
    expect('other.a+b-1').toMatch(accounts);
    for (const name of ['identity.accountx-1', 'identity.template-1', 'identity.aab-1', '$et-account-1']) expect(name).not.toMatch(accounts);
  });
});
