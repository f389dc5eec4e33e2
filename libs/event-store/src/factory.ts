import type { NatsConnection } from 'nats';
import { EVENT_SCHEMA_VERSIONS, EVENT_UPCASTERS, type Context } from '@cp/contracts';
import { jetStreamReplicas, type EventStoreConfig } from '@cp/config';
import { EventStoreDbEventStore } from './esdb';
import { JetStreamEventStore } from './jetstream';
import { ALL_CONTEXTS, type EventStore } from './port';
import { NatsCheckpointStore } from './checkpoints';
import { Projection, type ReadModel } from './projection';
import { EventVersions, UpcastingEventStore } from './upcasting';

/** Every event type's current schema version and the upcasters from older ones (libs/contracts). */
export const eventVersions = new EventVersions(EVENT_SCHEMA_VERSIONS, EVENT_UPCASTERS);

/**
 * The event store a domain service runs on: JetStream (embedded default) or EventStoreDB
 * (production), behind the upcasting layer (events read in their current shape).
 */
export async function createEventStore(config: EventStoreConfig, nc: NatsConnection | null, context: Context): Promise<EventStore> {
  return new UpcastingEventStore(await createRawEventStore(config, nc, context), eventVersions);
}

/**
 * A read-only store over every context's events (ALL_CONTEXTS), upcast, on the configured adapter:
 * what the audit reads. Stream ids are `<category>-<id>`; a stream is read through its context's store.
 */
export async function createLogReader(config: EventStoreConfig, nc: NatsConnection | null): Promise<EventStore> {
  return new UpcastingEventStore(await createRawEventStore(config, nc, ALL_CONTEXTS), eventVersions);
}

/** The adapter alone: events exactly as stored (for tests of old shapes, and tools). */
export async function createRawEventStore(
  config: EventStoreConfig, nc: NatsConnection | null, context: Context | typeof ALL_CONTEXTS,
): Promise<EventStore> {
  const maxAppendSize = maxAppendSizeOf(process.env);
  if (config.kind === 'esdb') return EventStoreDbEventStore.connect({ connectionString: config.esdbConnectionString!, context, maxAppendSize });
  // JetStream is on the NATS of the bus.
  if (!nc) throw new Error('the JetStream event store needs a NATS connection');
  const store = new JetStreamEventStore(nc, { context, maxAppendSize, replicas: jetStreamReplicas() });
  await store.init();
  return store;
}

/**
 * EVENT_STORE_MAX_APPEND_SIZE: the largest commit (bytes) the adapters send; larger ones are SYS.1007.
 * Unset: 16,767,216 on EventStoreDB (the EVENTSTORE_MAX_APPEND_SIZE docker-compose.yml gives the
 * server; the server's own default is 1,048,576), the server's max_payload on JetStream. Set it to the server's EVENTSTORE_MAX_APPEND_SIZE when that is raised (large templates).
 * Kept here rather than in libs/config's eventStoreConfig, with which it may merge later.
 */
export function maxAppendSizeOf(env: Record<string, string | undefined>): number | undefined {
  const text = env.EVENT_STORE_MAX_APPEND_SIZE;
  if (text === undefined || text === '') return undefined;
  if (!/^\d{1,10}$/.test(text) || Number(text) < 1) throw new RangeError(`EVENT_STORE_MAX_APPEND_SIZE must be a positive number of bytes, got ${JSON.stringify(text)}`);
  return Number(text);
}

/**
 * A projection of `model` started on `store`: with checkpoints (in the NATS object store
 * `projection-checkpoints`, under `name`) when configured and the model supports them.
 */
export async function startProjection(store: EventStore, model: ReadModel, nc: NatsConnection, config: EventStoreConfig, name: string): Promise<Projection> {
  const checkpoint = config.checkpointIntervalMs === null ? undefined
    : { name, store: await NatsCheckpointStore.open(nc), intervalMs: config.checkpointIntervalMs };
  const projection = new Projection(store, model, checkpoint);
  await projection.start();
  return projection;
}
