import type { NatsConnection } from 'nats';
import type { Context } from '@cp/contracts';
import { eventStoreConfig } from '@cp/config';
import { createRawEventStore, type EventStore } from '@cp/event-store';

/** An event store the e2e suites that read the log (audit, replay) run on, as the apps' environment selects it. */
export interface E2eEventStore {
  name: string;
  env: Record<string, string>;
}

/**
 * JetStream always; EventStoreDB too when ESDB_CONNECTION_STRING names one. That server must hold an
 * empty log (`docker run --rm -p 2113:2113 eventstore/eventstore:24.10 --insecure --mem-db`, one per
 * run): the suites create accounts and templates with fixed names.
 */
export function e2eEventStores(): E2eEventStore[] {
  const stores: E2eEventStore[] = [{ name: 'JetStream', env: { EVENT_STORE: 'jetstream' } }];
  const esdb = process.env.ESDB_CONNECTION_STRING;
  if (esdb) stores.push({ name: 'EventStoreDB', env: { EVENT_STORE: 'esdb', ESDB_CONNECTION_STRING: esdb } });
  else console.warn('e2e on EventStoreDB skipped: ESDB_CONNECTION_STRING is not set (e.g. esdb://127.0.0.1:2113?tls=false)');
  return stores;
}

/** The adapter itself (no upcasting) the stack's services write through: to write old shapes, or bulk. */
export function rawStoreOf(env: Record<string, string>, nc: NatsConnection, context: Context): Promise<EventStore> {
  return createRawEventStore(eventStoreConfig(env), nc, context);
}
