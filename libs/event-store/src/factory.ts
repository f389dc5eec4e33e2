import type { NatsConnection } from 'nats';
import type { Context } from '@cp/contracts';
import type { EventStoreConfig } from '@cp/config';
import { EventStoreDbEventStore } from './esdb';
import { JetStreamEventStore } from './jetstream';
import type { EventStore } from './port';

/** The event store a domain service runs on: JetStream (embedded default) or EventStoreDB (production). */
export async function createEventStore(config: EventStoreConfig, nc: NatsConnection, context: Context): Promise<EventStore> {
  if (config.kind === 'esdb') return EventStoreDbEventStore.connect({ connectionString: config.esdbConnectionString!, context });
  const store = new JetStreamEventStore(nc, { context });
  await store.init();
  return store;
}
