import { randomUUID } from 'node:crypto';
import { ZStackError } from '@cp/contracts';
import {
  DEFAULT_MAX_APPEND_SIZE,
  EventStoreUnavailableError,
  WrongExpectedVersionError,
  parsePosition,
  positionToString,
  type AppendResult,
  type EventMetadata,
  type EventStore,
  type ExpectedVersion,
  type NewEvent,
  type StoredEvent,
  type StreamFilter,
} from './port';

/** How an adapter's test file plugs into the one conformance suite. */
export interface ConformanceSetup {
  /** A fresh store that sees no other test's events (its own log, context or stream prefix). Closed after each test. */
  create(): Promise<EventStore>;
  /** Drops the store's connection and brings it back, data kept (JetStream: restart the server). */
  interrupt?: () => Promise<void>;
  /**
   * Two fresh stores over one log, of two contexts where the second's name starts with the first's
   * (`c` and `cx`): neither may see the other's streams. Then a reader over ALL_CONTEXTS of that
   * log (what the audit and the replay read through). All are closed after each test.
   */
  createPair?(): Promise<[EventStore, EventStore, EventStore]>;
  /** The max append size the created stores enforce (default DEFAULT_MAX_APPEND_SIZE). */
  maxAppendSize?: number;
}

/** The error a caller's mistake maps to at the edge: SYS.1007, not a 5xx. */
async function expectInvalidArgument(outcome: Promise<unknown>, message?: RegExp): Promise<void> {
  const err = await outcome.then(() => null, (e: unknown) => e);
  if (!(err instanceof ZStackError) || err.code !== 'SYS.1007') {
    throw new Error(`expected a ZStackError SYS.1007, got ${err === null ? 'success' : String(err)}`);
  }
  if (message) expect(err.message).toMatch(message);
}

const UUID_V4_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const WAIT_MS = 20_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const metadataFor = (): EventMetadata => ({
  commandId: randomUUID(),
  correlationId: randomUUID(),
  causationId: randomUUID(),
  actor: { accountUuid: randomUUID(), via: 'rest' },
  occurredAt: new Date().toISOString(),
});

const commitOptions = (): { commitId: string; metadata: EventMetadata } => ({ commitId: randomUUID(), metadata: metadataFor() });
const streamIn = (category: string): string => `${category}-${randomUUID()}`;
const event = (type: string, data: Record<string, unknown> = {}): NewEvent => ({ type, data });
const types = (events: StoredEvent[]): string[] => events.map((e) => e.type);

async function expectConflict(append: Promise<AppendResult>): Promise<WrongExpectedVersionError> {
  const outcome = await append.then(
    () => null,
    (err: unknown) => err,
  );
  if (!(outcome instanceof WrongExpectedVersionError)) {
    throw new Error(`expected a WrongExpectedVersionError, got ${outcome === null ? 'a successful append' : String(outcome)}`);
  }
  return outcome;
}

async function waitUntil(what: string, done: () => boolean): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** Records what a subscription hands over, and checks that it awaits the handler one event at a time. */
class Recorder {
  readonly events: StoredEvent[] = [];
  readonly resubscribes: (bigint | null)[] = [];
  maxInFlight = 0;
  private inFlight = 0;

  readonly onEvent = async (stored: StoredEvent): Promise<void> => {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await sleep(1);
    this.events.push(stored);
    this.inFlight--;
  };

  readonly onResubscribe = (last: bigint | null): void => {
    this.resubscribes.push(last);
  };

  async received(count: number): Promise<void> {
    await waitUntil(`${count} events (have ${this.events.length}: ${types(this.events).join(', ')})`, () => this.events.length >= count);
  }
}

/** Appends across a connection drop: the same commit id makes the retry safe. */
async function appendThroughDrop(
  store: EventStore,
  streamId: string,
  events: NewEvent[],
  expected: ExpectedVersion,
): Promise<AppendResult> {
  const options = commitOptions();
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    try {
      return await store.append(streamId, events, expected, options);
    } catch (err) {
      if (!(err instanceof EventStoreUnavailableError) || Date.now() > deadline) throw err;
      await sleep(100);
    }
  }
}

/** The one suite every EventStore adapter must pass. */
export function describeEventStoreConformance(name: string, setup: ConformanceSetup): void {
  describe(`${name} conformance`, () => {
    const opened: EventStore[] = [];
    const open = async (): Promise<EventStore> => {
      const store = await setup.create();
      opened.push(store);
      return store;
    };
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((store) => store.close()));
    });

    describe('append', () => {
      it('with noStream creates a stream, and conflicts once the stream exists', async () => {
        const store = await open();
        const streamId = streamIn('account');
        const created = await store.append(streamId, [event('AccountCreated')], 'noStream', commitOptions());
        expect(created.duplicate).toBe(false);

        const err = await expectConflict(store.append(streamId, [event('AccountCreated')], 'noStream', commitOptions()));
        expect(err.streamId).toBe(streamId);
        expect(err.expected).toBe('noStream');
        expect(err.actual).toBe(created.nextExpectedVersion);
        expect((await store.readStream(streamId)).events).toHaveLength(1);
      });

      it('with any writes to new and existing streams', async () => {
        const store = await open();
        const streamId = streamIn('account');
        await store.append(streamId, [event('AccountCreated')], 'any', commitOptions());
        const second = await store.append(streamId, [event('AccountRenamed')], 'any', commitOptions());
        const read = await store.readStream(streamId);
        expect(types(read.events)).toEqual(['AccountCreated', 'AccountRenamed']);
        expect(read.version).toBe(second.nextExpectedVersion);
      });

      it('with the exact version read succeeds, and with a stale version conflicts', async () => {
        const store = await open();
        const streamId = streamIn('account');
        const first = await store.append(streamId, [event('AccountCreated')], 'noStream', commitOptions());
        const { version } = await store.readStream(streamId);
        expect(version).toBe(first.nextExpectedVersion);

        const second = await store.append(streamId, [event('AccountRenamed')], first.nextExpectedVersion, commitOptions());
        expect(second.nextExpectedVersion).not.toBe(first.nextExpectedVersion);

        const err = await expectConflict(store.append(streamId, [event('AccountRenamed')], first.nextExpectedVersion, commitOptions()));
        expect(err.expected).toBe(first.nextExpectedVersion);
        expect(err.actual).toBe(second.nextExpectedVersion);
        await store.append(streamId, [event('AccountClosed')], second.nextExpectedVersion, commitOptions());
        expect(types((await store.readStream(streamId)).events)).toEqual(['AccountCreated', 'AccountRenamed', 'AccountClosed']);
      });

      it('with an exact version on a missing stream conflicts with no actual version', async () => {
        const store = await open();
        const other = await store.append(streamIn('account'), [event('AccountCreated')], 'noStream', commitOptions());
        const missing = streamIn('account');
        const err = await expectConflict(store.append(missing, [event('AccountRenamed')], other.nextExpectedVersion, commitOptions()));
        expect(err.actual).toBeNull();
        expect((await store.readStream(missing)).version).toBeNull();
      });

      it('of a retried commit writes nothing twice and returns the first result', async () => {
        const store = await open();
        const streamId = streamIn('account');
        const options = commitOptions();
        const first = await store.append(streamId, [event('AccountCreated'), event('AccountActivated')], 'noStream', options);
        const retried = await store.append(streamId, [event('AccountCreated'), event('AccountActivated')], 'noStream', options);
        expect(retried).toEqual({ ...first, duplicate: true });

        const read = await store.readStream(streamId);
        expect(types(read.events)).toEqual(['AccountCreated', 'AccountActivated']);
        expect(read.version).toBe(first.nextExpectedVersion);
      });

      it('of a retried commit is recognised after later commits too', async () => {
        const store = await open();
        const streamId = streamIn('account');
        const options = commitOptions();
        const first = await store.append(streamId, [event('AccountCreated')], 'noStream', options);
        await store.append(streamId, [event('AccountRenamed')], first.nextExpectedVersion, commitOptions());
        const retried = await store.append(streamId, [event('AccountCreated')], 'noStream', options);
        expect(retried).toEqual({ ...first, duplicate: true });
        expect(types((await store.readStream(streamId)).events)).toEqual(['AccountCreated', 'AccountRenamed']);
      });

      it('same commit id retried at the current version writes nothing twice', async () => {
        const store = await open();
        const streamId = streamIn('account');
        const options = commitOptions();
        const created = await store.append(streamId, [event('AccountCreated')], 'noStream', commitOptions());
        const first = await store.append(streamId, [event('AccountRenamed'), event('AccountTagged')], created.nextExpectedVersion, options);
        // The acknowledgement was lost; the caller re-read the stream and retries at the version it now sees.
        const retried = await store.append(streamId, [event('AccountRenamed'), event('AccountTagged')], first.nextExpectedVersion, options);
        expect(retried).toEqual({ ...first, duplicate: true });
        const retriedAny = await store.append(streamId, [event('AccountRenamed'), event('AccountTagged')], 'any', options);
        expect(retriedAny).toEqual({ ...first, duplicate: true });
        const read = await store.readStream(streamId);
        expect(types(read.events)).toEqual(['AccountCreated', 'AccountRenamed', 'AccountTagged']);
        expect(read.version).toBe(first.nextExpectedVersion);
        expect(types(await store.readAll(null))).toEqual(['AccountCreated', 'AccountRenamed', 'AccountTagged']);
      });

      it('of a commit refused for its version, retried with the same commit id at the right version, stores it', async () => {
        // A writer that lost a race re-reads and retries its command (same commit id): the refusal
        // must not leave the commit id marked as written (nats-server 2.10 in a cluster answers such
        // a retry as a duplicate of nothing, seq 0, unless the adapter checks).
        const store = await open();
        const streamId = streamIn('account');
        const first = await store.append(streamId, [event('AccountCreated')], 'noStream', commitOptions());
        await store.append(streamId, [event('AccountRenamed')], first.nextExpectedVersion, commitOptions());
        const retried = commitOptions();
        await expectConflict(store.append(streamId, [event('AccountDisabled')], first.nextExpectedVersion, retried));
        const { version } = await store.readStream(streamId);
        const stored = await store.append(streamId, [event('AccountDisabled')], version!, retried);
        expect(stored.duplicate).toBe(false);
        const after = await store.readStream(streamId);
        expect(types(after.events)).toEqual(['AccountCreated', 'AccountRenamed', 'AccountDisabled']);
        expect(after.version).toBe(stored.nextExpectedVersion);
      });

      it('over the max append size is refused with SYS.1007 and writes nothing', async () => {
        const store = await open();
        const streamId = streamIn('template');
        const max = setup.maxAppendSize ?? DEFAULT_MAX_APPEND_SIZE;
        const half = 'x'.repeat(Math.ceil(max / 2));
        await expectInvalidArgument(
          store.append(streamId, [event('TemplateAdded', { part: half }), event('TemplateAdded', { part: half })], 'noStream', commitOptions()),
          /max append size/,
        );
        expect(await store.readStream(streamId)).toEqual({ events: [], version: null });
        const fits = await store.append(streamId, [event('TemplateAdded', { part: 'x'.repeat(Math.floor(max / 4)) })], 'noStream', commitOptions());
        expect(fits.duplicate).toBe(false);
      });

      it('rejects a commit without events', async () => {
        const store = await open();
        await expect(store.append(streamIn('account'), [], 'noStream', commitOptions())).rejects.toThrow(RangeError);
      });

      it.each(['account', '-1', 'account-', 'account-a.b', 'acc*unt-1', 'account->', 'account-a b', 'acc ount-1'])(
        'rejects the stream id %j',
        async (streamId) => {
          const store = await open();
          await expect(store.append(streamId, [event('AccountCreated')], 'noStream', commitOptions())).rejects.toThrow(RangeError);
          await expect(store.readStream(streamId)).rejects.toThrow(RangeError);
        },
      );
    });

    describe('readStream', () => {
      it('of a missing stream has no version and no events', async () => {
        const store = await open();
        expect(await store.readStream(streamIn('account'))).toEqual({ events: [], version: null });
      });

      it('returns events as appended: type, data, metadata, schema version, ids, versions, positions', async () => {
        const store = await open();
        const streamId = streamIn('account');
        const options = commitOptions();
        const data = { name: 'Zoë', quota: { cpu: 4, tags: ['a', 'b'] }, parent: null, ratio: 0.25 };
        const first = await store.append(
          streamId,
          [{ type: 'AccountCreated', data, schemaVersion: 2 }, event('AccountActivated', { at: 'now' })],
          'noStream',
          options,
        );
        const secondOptions = commitOptions();
        const second = await store.append(streamId, [event('AccountRenamed', { name: 'Zoe' })], first.nextExpectedVersion, secondOptions);

        const { events, version } = await store.readStream(streamId);
        expect(version).toBe(second.nextExpectedVersion);
        expect(events).toHaveLength(3);
        const [created, activated, renamed] = events;
        expect(created).toMatchObject({ streamId, type: 'AccountCreated', data, schemaVersion: 2, metadata: options.metadata });
        expect(activated).toMatchObject({ streamId, type: 'AccountActivated', data: { at: 'now' }, schemaVersion: 1, metadata: options.metadata });
        expect(renamed).toMatchObject({ streamId, type: 'AccountRenamed', schemaVersion: 1, metadata: secondOptions.metadata });
        for (const stored of [created, activated]) {
          expect(stored.position).toBe(first.position);
          expect(stored.streamVersion).toBe(first.nextExpectedVersion);
        }
        expect(renamed.position).toBe(second.position);
        expect(renamed.streamVersion).toBe(second.nextExpectedVersion);
        expect(second.position > first.position).toBe(true);
        for (const stored of events) expect(stored.eventId).toMatch(UUID_V4_SHAPE);
        expect(new Set(events.map((e) => e.eventId)).size).toBe(3);
      });

      it('returns fresh objects: mutating a read does not change the store', async () => {
        const store = await open();
        const streamId = streamIn('account');
        await store.append(streamId, [event('AccountCreated', { name: 'a' })], 'noStream', commitOptions());
        (await store.readStream(streamId)).events[0].data.name = 'mutated';
        expect((await store.readStream(streamId)).events[0].data).toEqual({ name: 'a' });
      });

      it('returns every commit of a longer stream in order', async () => {
        const store = await open();
        const streamId = streamIn('account');
        let expected: ExpectedVersion = 'noStream';
        for (let i = 0; i < 12; i++) {
          expected = (await store.append(streamId, [event(`E${i}`)], expected, commitOptions())).nextExpectedVersion;
        }
        const read = await store.readStream(streamId);
        expect(types(read.events)).toEqual(Array.from({ length: 12 }, (_, i) => `E${i}`));
        expect(read.version).toBe(expected);
      });

      it('after a version: only the commits that followed it, and the latest version (a caught-up read costs what is new)', async () => {
        const store = await open();
        const streamId = streamIn('account');
        const versions: bigint[] = [];
        let expected: ExpectedVersion = 'noStream';
        for (let i = 0; i < 10; i++) {
          const events = i === 4 ? [event('E4a'), event('E4b')] : [event(`E${i}`)];
          expected = (await store.append(streamId, events, expected, commitOptions())).nextExpectedVersion;
          versions.push(expected);
        }
        const full = await store.readStream(streamId);
        const afterThird = await store.readStream(streamId, { after: versions[2] });
        expect(types(afterThird.events)).toEqual(['E3', 'E4a', 'E4b', 'E5', 'E6', 'E7', 'E8', 'E9']);
        expect(afterThird.events).toEqual(full.events.slice(3));
        expect(afterThird.version).toBe(versions[9]);
        // Past a commit of two events: the next commit, not its second event.
        expect(types((await store.readStream(streamId, { after: versions[4] })).events)).toEqual(['E5', 'E6', 'E7', 'E8', 'E9']);
        expect(types((await store.readStream(streamId, { after: versions[0] })).events)[0]).toBe('E1');
        // Caught up: nothing new, and the version given back.
        expect(await store.readStream(streamId, { after: versions[9] })).toEqual({ events: [], version: versions[9] });
        const next = await store.append(streamId, [event('E10')], versions[9], commitOptions());
        const tail = await store.readStream(streamId, { after: versions[9] });
        expect(types(tail.events)).toEqual(['E10']);
        expect(tail.version).toBe(next.nextExpectedVersion);
      });

      it('after a version no adapter can hold: SYS.1007, not a 5xx', async () => {
        const store = await open();
        await expectInvalidArgument(store.readStream(streamIn('account'), { after: -1n }));
      });
    });

    describe('readAll', () => {
      /** order 1 event, invoice 2 events, order 1 event, shipment 1 event. */
      async function seed(store: EventStore): Promise<AppendResult[]> {
        const order = streamIn('order');
        const orderCreated = await store.append(order, [event('OrderPlaced')], 'noStream', commitOptions());
        const invoice = await store.append(streamIn('invoice'), [event('InvoiceDrafted'), event('InvoiceIssued')], 'noStream', commitOptions());
        const orderPaid = await store.append(order, [event('OrderPaid')], orderCreated.nextExpectedVersion, commitOptions());
        const shipment = await store.append(streamIn('shipment'), [event('ShipmentBooked')], 'noStream', commitOptions());
        return [orderCreated, invoice, orderPaid, shipment];
      }

      it('from the start returns every event in log order, events of a commit sharing its position', async () => {
        const store = await open();
        const commits = await seed(store);
        const all = await store.readAll(null);
        expect(types(all)).toEqual(['OrderPlaced', 'InvoiceDrafted', 'InvoiceIssued', 'OrderPaid', 'ShipmentBooked']);
        expect(all.map((e) => e.position)).toEqual([0, 1, 1, 2, 3].map((i) => commits[i].position));
      });

      it('from a position excludes that position', async () => {
        const store = await open();
        const [orderCreated, invoice] = await seed(store);
        expect(types(await store.readAll(orderCreated.position))).toEqual(['InvoiceDrafted', 'InvoiceIssued', 'OrderPaid', 'ShipmentBooked']);
        expect(types(await store.readAll(invoice.position))).toEqual(['OrderPaid', 'ShipmentBooked']);
      });

      it('with a limit returns whole commits, at most the limit unless the first commit alone is larger', async () => {
        const store = await open();
        const [orderCreated] = await seed(store);
        expect(types(await store.readAll(null, { limit: 1 }))).toEqual(['OrderPlaced']);
        expect(types(await store.readAll(null, { limit: 2 }))).toEqual(['OrderPlaced']);
        expect(types(await store.readAll(null, { limit: 3 }))).toEqual(['OrderPlaced', 'InvoiceDrafted', 'InvoiceIssued']);
        expect(types(await store.readAll(orderCreated.position, { limit: 1 }))).toEqual(['InvoiceDrafted', 'InvoiceIssued']);
        await expect(store.readAll(null, { limit: 0 })).rejects.toThrow(RangeError);
      });

      it('pages through the log without losing or repeating events', async () => {
        const store = await open();
        await seed(store);
        const paged: StoredEvent[] = [];
        for (let from: bigint | null = null; ; ) {
          const page = await store.readAll(from, { limit: 2 });
          if (page.length === 0) break;
          paged.push(...page);
          from = page[page.length - 1].position;
        }
        expect(paged.map((e) => e.eventId)).toEqual((await store.readAll(null)).map((e) => e.eventId));
      });

      it.each<[string, StreamFilter, string[]]>([
        ['one category', { categories: ['order'] }, ['OrderPlaced', 'OrderPaid']],
        ['several categories', { categories: ['order', 'shipment'] }, ['OrderPlaced', 'OrderPaid', 'ShipmentBooked']],
        ['no category', { categories: [] }, ['OrderPlaced', 'InvoiceDrafted', 'InvoiceIssued', 'OrderPaid', 'ShipmentBooked']],
        ['an unknown category', { categories: ['nothing'] }, []],
      ])('filtered by %s keeps only those streams', async (_label, filter, expected) => {
        const store = await open();
        await seed(store);
        expect(types(await store.readAll(null, { filter }))).toEqual(expected);
      });

      it('combines position, filter and limit', async () => {
        const store = await open();
        const [orderCreated] = await seed(store);
        expect(types(await store.readAll(orderCreated.position, { filter: { categories: ['order', 'shipment'] }, limit: 1 }))).toEqual([
          'OrderPaid',
        ]);
      });

      it('rejects an invalid category', async () => {
        const store = await open();
        await expect(store.readAll(null, { filter: { categories: ['ord.er'] } })).rejects.toThrow(RangeError);
      });

      it('refuses an invalid position from a caller with SYS.1007', async () => {
        const store = await open();
        await store.append(streamIn('order'), [event('OrderPlaced')], 'noStream', commitOptions());
        await expectInvalidArgument(store.readAll(-1n));
        await expectInvalidArgument(store.readAll(2n ** 64n));
        await expectInvalidArgument(store.subscribeAll({ from: -1n, onEvent: () => undefined }));
      });

      const pairCase = setup.createPair ? it : it.skip;
      if (!setup.createPair) console.warn(`${name}: the conformance setup has no createPair(), so "never shows another context's streams" is skipped`);
      pairCase('never shows another context\'s streams, nor a category that merely starts with the filtered one', async () => {
        const [ours, theirs] = await setup.createPair!();
        opened.push(ours, theirs);
        const shared = streamIn('order');
        await theirs.append(shared, [event('ForeignPlaced')], 'noStream', commitOptions());
        await theirs.append(streamIn('order'), [event('ForeignPlaced')], 'noStream', commitOptions());
        const recorder = new Recorder();
        const subscription = await ours.subscribeAll({ from: null, onEvent: recorder.onEvent });
        const placed = await ours.append(shared, [event('OrderPlaced')], 'noStream', commitOptions());
        await ours.append(streamIn('orderline'), [event('OrderLineAdded')], 'noStream', commitOptions());
        await theirs.append(streamIn('order'), [event('ForeignPlaced')], 'noStream', commitOptions());
        await recorder.received(2);
        await sleep(200);
        await subscription.close();

        expect(types(recorder.events)).toEqual(['OrderPlaced', 'OrderLineAdded']);
        expect(types(await ours.readAll(null))).toEqual(['OrderPlaced', 'OrderLineAdded']);
        expect(types(await ours.readAll(null, { filter: { categories: ['order'] } }))).toEqual(['OrderPlaced']);
        expect(types((await ours.readStream(shared)).events)).toEqual(['OrderPlaced']);
        expect(placed.duplicate).toBe(false);
        expect(types((await theirs.readStream(shared)).events)).toEqual(['ForeignPlaced']);
      });

      pairCase('a reader over every context sees each context\'s streams in log order, by category, live, and cannot append', async () => {
        const [ours, theirs, every] = await setup.createPair!();
        opened.push(ours, theirs, every);
        // A category no other test writes, so that a log shared with them changes nothing here.
        const category = `audit${randomUUID().slice(0, 8)}`;
        const before = await every.headPosition();
        const recorder = new Recorder();
        const subscription = await every.subscribeAll({ from: before, filter: { categories: [category] }, onEvent: recorder.onEvent });
        const mine = streamIn(category);
        const first = await ours.append(mine, [event('OursFirst')], 'noStream', commitOptions());
        await theirs.append(streamIn(category), [event('TheirsSecond')], 'noStream', commitOptions());
        await theirs.append(streamIn(`${category}x`), [event('OtherCategory')], 'noStream', commitOptions());
        await ours.append(mine, [event('OursThird')], first.nextExpectedVersion, commitOptions());
        await recorder.received(3);
        await sleep(200);
        await subscription.close();

        const wanted = ['OursFirst', 'TheirsSecond', 'OursThird'];
        expect(types(recorder.events)).toEqual(wanted);
        const read = await every.readAll(before, { filter: { categories: [category] } });
        expect(types(read)).toEqual(wanted);
        // Stream ids as each context's own store names them, positions as the writers were told.
        expect(read[0]).toMatchObject({ streamId: mine, position: first.position });
        expect(types(await every.readAll(before))).toEqual(expect.arrayContaining([...wanted, 'OtherCategory']));
        await expect(every.append(streamIn(category), [event('Refused')], 'noStream', commitOptions())).rejects.toThrow(/read-only/);
      });
    });

    describe('positions', () => {
      it('headPosition is at or after the last commit, and nothing of ours follows it', async () => {
        const store = await open();
        const streamId = streamIn('account');
        const first = await store.append(streamId, [event('AccountCreated')], 'noStream', commitOptions());
        const last = await store.append(streamId, [event('AccountRenamed')], first.nextExpectedVersion, commitOptions());
        const head = await store.headPosition();
        expect(head).not.toBeNull();
        expect(head !== null && head >= last.position).toBe(true);
        expect(await store.readAll(head)).toEqual([]);
      });

      it('survive a round trip through their wire form', async () => {
        const store = await open();
        const first = await store.append(streamIn('account'), [event('AccountCreated')], 'noStream', commitOptions());
        await store.append(streamIn('account'), [event('AccountCreated')], 'noStream', commitOptions());
        const text = positionToString(first.position);
        expect(text).toMatch(/^\d+$/);
        const parsed = parsePosition(text ?? '');
        expect(parsed).toBe(first.position);
        expect(await store.readAll(parsed)).toEqual(await store.readAll(first.position));
        expect(positionToString(null)).toBeNull();
      });
    });

    describe('subscribeAll', () => {
      it('from a position with a filter delivers history, then live events, in order and one at a time', async () => {
        const store = await open();
        const order = streamIn('order');
        const placed = await store.append(order, [event('OrderPlaced')], 'noStream', commitOptions());
        await store.append(streamIn('invoice'), [event('InvoiceIssued')], 'noStream', commitOptions());
        const paid = await store.append(order, [event('OrderPaid'), event('OrderReleased')], placed.nextExpectedVersion, commitOptions());

        const recorder = new Recorder();
        const subscription = await store.subscribeAll({ from: placed.position, filter: { categories: ['order'] }, onEvent: recorder.onEvent });
        await recorder.received(2);
        await store.append(streamIn('invoice'), [event('InvoiceIssued')], 'noStream', commitOptions());
        const shipped = await store.append(order, [event('OrderShipped')], paid.nextExpectedVersion, commitOptions());
        await recorder.received(3);
        await sleep(200);
        await subscription.close();

        expect(types(recorder.events)).toEqual(['OrderPaid', 'OrderReleased', 'OrderShipped']);
        expect(recorder.events.map((e) => e.position)).toEqual([paid.position, paid.position, shipped.position]);
        expect(recorder.maxInFlight).toBe(1);
      });

      it('from the start with several categories delivers all of those, and only those', async () => {
        const store = await open();
        await store.append(streamIn('order'), [event('OrderPlaced')], 'noStream', commitOptions());
        await store.append(streamIn('invoice'), [event('InvoiceIssued')], 'noStream', commitOptions());
        const recorder = new Recorder();
        const subscription = await store.subscribeAll({ from: null, filter: { categories: ['order', 'shipment'] }, onEvent: recorder.onEvent });
        await store.append(streamIn('shipment'), [event('ShipmentBooked')], 'noStream', commitOptions());
        await store.append(streamIn('invoice'), [event('InvoiceIssued')], 'noStream', commitOptions());
        await recorder.received(2);
        await sleep(200);
        await subscription.close();
        expect(types(recorder.events)).toEqual(['OrderPlaced', 'ShipmentBooked']);
      });

      it('stops delivering once closed', async () => {
        const store = await open();
        const recorder = new Recorder();
        const subscription = await store.subscribeAll({ from: null, onEvent: recorder.onEvent });
        await store.append(streamIn('order'), [event('OrderPlaced')], 'noStream', commitOptions());
        await recorder.received(1);
        await subscription.close();
        await store.append(streamIn('order'), [event('OrderPlaced')], 'noStream', commitOptions());
        await sleep(300);
        expect(recorder.events).toHaveLength(1);
      });

      it('hands an event to a failing handler again rather than skipping it', async () => {
        const store = await open();
        const attempts: string[] = [];
        const delivered: string[] = [];
        const subscription = await store.subscribeAll({
          from: null,
          onEvent: (stored) => {
            attempts.push(stored.type);
            if (stored.type === 'OrderPlaced' && attempts.length === 1) throw new Error('projection hiccup (expected by this test)');
            delivered.push(stored.type);
          },
        });
        const order = streamIn('order');
        const placed = await store.append(order, [event('OrderPlaced')], 'noStream', commitOptions());
        await store.append(order, [event('OrderPaid')], placed.nextExpectedVersion, commitOptions());
        await waitUntil('both events delivered', () => delivered.length >= 2);
        await subscription.close();
        expect(attempts).toEqual(['OrderPlaced', 'OrderPlaced', 'OrderPaid']);
        expect(delivered).toEqual(['OrderPlaced', 'OrderPaid']);
      });

      const interruptCase = setup.interrupt ? it : it.skip;
      if (!setup.interrupt) {
        console.warn(`${name}: the conformance setup has no interrupt(), so "resumes after the connection drops" is skipped`);
      }
      interruptCase('resumes after the connection drops, without duplicates or gaps', async () => {
        const interrupt = setup.interrupt;
        if (!interrupt) return;
        const store = await open();
        const streamId = streamIn('order');
        const recorder = new Recorder();
        const subscription = await store.subscribeAll({
          from: null,
          filter: { categories: ['order'] },
          onEvent: recorder.onEvent,
          onResubscribe: recorder.onResubscribe,
        });
        let version: ExpectedVersion = 'noStream';
        for (let i = 0; i < 3; i++) version = (await store.append(streamId, [event(`E${i}`)], version, commitOptions())).nextExpectedVersion;
        await recorder.received(3);

        await interrupt();
        for (let i = 3; i < 6; i++) version = (await appendThroughDrop(store, streamId, [event(`E${i}`)], version)).nextExpectedVersion;
        await recorder.received(6);
        await sleep(300);
        await subscription.close();

        expect(types(recorder.events)).toEqual(['E0', 'E1', 'E2', 'E3', 'E4', 'E5']);
        expect(new Set(recorder.events.map((e) => e.eventId)).size).toBe(6);
        expect(recorder.resubscribes.length).toBeGreaterThanOrEqual(1);
        expect(recorder.resubscribes[0]).toBe(recorder.events[2].position);
      });
    });
  });
}
