import type { NatsConnection } from 'nats';
import { EVENT_SCHEMA_VERSIONS, EVENT_UPCASTERS, type Context } from '@cp/contracts';
import type { EventStoreConfig } from '@cp/config';
import { EventStoreDbEventStore } from './esdb';
import { JetStreamEventStore } from './jetstream';
import type { EventStore } from './port';
import { EventVersions, UpcastingEventStore } from './upcasting';

/** Every event type's current schema version and the upcasters from older ones (libs/contracts). */
export const eventVersions = new EventVersions(EVENT_SCHEMA_VERSIONS, EVENT_UPCASTERS);

/**
 * The event store a domain service runs on: JetStream (embedded default) or EventStoreDB
 * (production), behind the upcasting layer (events read in their current shape).
 */
export async function createEventStore(config: EventStoreConfig, nc: NatsConnection, context: Context): Promise<EventStore> {
  return new UpcastingEventStore(await createRawEventStore(config, nc, context), eventVersions);
}

/** The adapter alone: events exactly as stored (for tests of old shapes, and tools). */
export async function createRawEventStore(config: EventStoreConfig, nc: NatsConnection, context: Context): Promise<EventStore> {
  if (config.kind === 'esdb') return EventStoreDbEventStore.connect({ connectionString: config.esdbConnectionString!, context });
  const store = new JetStreamEventStore(nc, { context });
  await store.init();
  return store;
}
