/**
 * Appends per second through the JetStream event store, against raw `js.publish` of the same
 * subjects, headers and payload size, on a private nats-server (127.0.0.1 only).
 *
 *   node -r @swc-node/register bench/event-store-append.bench.ts
 *
 * Each writer appends one event to a fresh stream with expected version noStream, as a command
 * creating an aggregate does. Target: the adapter reaches at least 80% of raw publish.
 *
 * The machine and the stream drift while the benchmark runs (every new subject adds to the
 * server's per-subject state), so the two are not measured one after the other: after a warm-up
 * of each, they alternate in short windows (A-B-B-A-A-B-...) until each has had its measuring time.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { connect, headers, type NatsConnection } from 'nats';
import { NatsServer } from '@cp/testing';
import { JetStreamEventStore, type EventMetadata, type NewEvent } from '@cp/event-store';

const WRITERS = 64;
const WARM_UP_MS = 1_000;
const MEASURE_MS = 5_000;
const WINDOW_MS = 250;
const TARGET_RATIO = 0.8;

type Variant = 'adapter' | 'raw';

interface Sample {
  completed: number;
  seconds: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const event: NewEvent = {
  type: 'AccountCreated',
  data: { uuid: randomUUID(), name: 'bench-account', type: 'Normal', description: 'created by the append benchmark' },
};

const metadata: EventMetadata = {
  commandId: randomUUID(),
  correlationId: randomUUID(),
  causationId: randomUUID(),
  actor: { accountUuid: randomUUID(), via: 'rest' },
  occurredAt: new Date().toISOString(),
};

/** The adapter's message body for `event`: raw publish sends the same number of bytes. */
const payloadBytes = Buffer.byteLength(
  JSON.stringify({ events: [{ eventId: randomUUID(), type: event.type, schemaVersion: 1, data: event.data, metadata }] }),
);

/** Operations completed during `ms`, `WRITERS` at a time; in-flight ones finish uncounted. */
async function run(operation: () => Promise<unknown>, ms: number): Promise<Sample> {
  let stopping = false;
  let completed = 0;
  const start = performance.now();
  const writers = Array.from({ length: WRITERS }, async () => {
    while (!stopping) {
      await operation();
      if (!stopping) completed++;
    }
  });
  await sleep(ms);
  stopping = true;
  const seconds = (performance.now() - start) / 1000;
  await Promise.all(writers);
  return { completed, seconds };
}

/** A-B, B-A, A-B, ...: each pair in the other order, so that drift within a pair cancels out. */
function* windows(): Generator<Variant> {
  for (let pair = 0; pair < MEASURE_MS / WINDOW_MS; pair++) {
    if (pair % 2 === 0) yield* ['adapter', 'raw'] as const;
    else yield* ['raw', 'adapter'] as const;
  }
}

const perSecond = (samples: Sample[]): number =>
  samples.reduce((sum, s) => sum + s.completed, 0) / samples.reduce((sum, s) => sum + s.seconds, 0);

function operationFor(variant: Variant, store: JetStreamEventStore, nc: NatsConnection): () => Promise<unknown> {
  if (variant === 'adapter') {
    return () => store.append(`account-${randomUUID()}`, [event], 'noStream', { commitId: randomUUID(), metadata });
  }
  const js = nc.jetstream();
  const payload = new Uint8Array(payloadBytes);
  return () => {
    const header = headers();
    header.set('Nats-Msg-Id', randomUUID());
    header.set('Nats-Expected-Last-Subject-Sequence', '0');
    return js.publish(`events.bench.account.${randomUUID()}`, payload, { headers: header });
  };
}

async function main(): Promise<void> {
  const server = await NatsServer.start();
  const nc = await connect({ servers: server.url });
  try {
    const store = new JetStreamEventStore(nc, { context: 'bench' });
    await store.init();
    const operations: Record<Variant, () => Promise<unknown>> = {
      adapter: operationFor('adapter', store, nc),
      raw: operationFor('raw', store, nc),
    };
    await run(operations.adapter, WARM_UP_MS);
    await run(operations.raw, WARM_UP_MS);
    const samples: Record<Variant, Sample[]> = { adapter: [], raw: [] };
    for (const variant of windows()) samples[variant].push(await run(operations[variant], WINDOW_MS));
    await store.close();

    const adapter = perSecond(samples.adapter);
    const raw = perSecond(samples.raw);
    const ratio = adapter / raw;
    console.log(
      `nats-server ${nc.info?.version ?? server.versionText} on ${server.url}, ${WRITERS} concurrent writers, ` +
        `${MEASURE_MS / 1000} s each after ${WARM_UP_MS / 1000} s warm-up, alternating in ${WINDOW_MS} ms windows`,
    );
    console.log(`adapter append (1 event, fresh stream, noStream): ${adapter.toFixed(0)} appends/s`);
    console.log(`raw js.publish (same subject shape and headers, ${payloadBytes} B): ${raw.toFixed(0)} publishes/s`);
    console.log(`ratio ${(ratio * 100).toFixed(1)}% (target >= ${TARGET_RATIO * 100}%): ${ratio >= TARGET_RATIO ? 'met' : 'MISSED'}`);
    if (ratio < TARGET_RATIO) process.exitCode = 1;
  } finally {
    await nc.close();
    await server.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
