import { randomUUID } from 'node:crypto';
import { describeEventStoreConformance } from './conformance';
import { EventStoreDbEventStore } from './esdb';

const connectionString = process.env.ESDB_CONNECTION_STRING;

if (connectionString) {
  const uniqueContext = (): string => `ctx${randomUUID().replace(/-/g, '')}`;
  // EventStoreDB cannot be restarted from here, so the resubscribe-after-drop case is skipped (with a warning).
  describeEventStoreConformance('EventStoreDbEventStore', {
    create: async () => EventStoreDbEventStore.connect({ connectionString, context: uniqueContext() }),
    createPair: async () => {
      const context = uniqueContext();
      return [
        EventStoreDbEventStore.connect({ connectionString, context }),
        EventStoreDbEventStore.connect({ connectionString, context: `${context}x` }),
      ];
    },
  });
} else {
  console.warn('EventStoreDbEventStore: ESDB_CONNECTION_STRING is not set (e.g. esdb://127.0.0.1:2113?tls=false), so its conformance suite is skipped');
  describe.skip('EventStoreDbEventStore conformance (needs ESDB_CONNECTION_STRING)', () => {
    it('runs against a real EventStoreDB', () => undefined);
  });
}
