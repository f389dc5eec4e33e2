import { randomUUID } from 'node:crypto';
import { describeEventStoreConformance } from './conformance';
import { EventStoreDbEventStore } from './esdb';
import { ALL_CONTEXTS, DEFAULT_MAX_APPEND_SIZE } from './port';

const connectionString = process.env.ESDB_CONNECTION_STRING;

if (connectionString) {
  const uniqueContext = (): string => `ctx${randomUUID().replace(/-/g, '')}`;
  let latest: EventStoreDbEventStore | null = null;
  describeEventStoreConformance('EventStoreDbEventStore', {
    // The server's default MaxAppendSize (a test server is rarely configured otherwise).
    create: async () => (latest = EventStoreDbEventStore.connect({ connectionString, context: uniqueContext(), maxAppendSize: DEFAULT_MAX_APPEND_SIZE })),
    // EventStoreDB cannot be restarted from here: the store drops its own gRPC subscriptions instead.
    interrupt: async () => latest?.interrupt(),
    createPair: async () => {
      const context = uniqueContext();
      return [
        EventStoreDbEventStore.connect({ connectionString, context }),
        EventStoreDbEventStore.connect({ connectionString, context: `${context}x` }),
        EventStoreDbEventStore.connect({ connectionString, context: ALL_CONTEXTS }),
      ];
    },
  });
} else {
  console.warn('EventStoreDbEventStore: ESDB_CONNECTION_STRING is not set (e.g. esdb://127.0.0.1:2113?tls=false), so its conformance suite is skipped');
  describe.skip('EventStoreDbEventStore conformance (needs ESDB_CONNECTION_STRING)', () => {
    it('runs against a real EventStoreDB', () => undefined);
  });
}
