import { randomUUID } from 'node:crypto';
import { NatsCluster } from '@cp/testing';
import { connect, type NatsConnection } from 'nats';
import { describeEventStoreConformance } from './conformance';
import { JetStreamEventStore } from './jetstream';
import { ALL_CONTEXTS } from './port';

/**
 * The conformance suite on a 3-node JetStream cluster, the event stream at 3 replicas (what
 * `npm run start:cluster` and the NATS cluster compose file run): reads go to the stream's leader,
 * and `interrupt` restarts the node the client is connected to (it fails over to another).
 */
let cluster: NatsCluster;
let nc: NatsConnection;

beforeAll(async () => {
  cluster = await NatsCluster.start();
  nc = await connect({ servers: cluster.url.split(','), maxReconnectAttempts: -1, reconnectTimeWait: 100 });
}, 60_000);

afterAll(async () => {
  await nc?.close();
  await cluster?.stop();
});

const uniqueContext = (): string => `ctx${randomUUID().replace(/-/g, '')}`;

async function storeOver(context = uniqueContext()): Promise<JetStreamEventStore> {
  const store = new JetStreamEventStore(nc, { context, maxAppendSize: 64 * 1024, replicas: 3 });
  await store.init();
  return store;
}

describeEventStoreConformance('JetStreamEventStore on a 3-node cluster', {
  create: () => storeOver(),
  interrupt: async () => {
    const node = cluster.nodes.find((n) => n.port === Number(new URL(`nats://${nc.getServer()}`).port)) ?? cluster.nodes[0];
    await node.restart();
    await cluster.waitForJetStream(30_000);
  },
  createPair: async () => {
    const context = uniqueContext();
    return [await storeOver(context), await storeOver(`${context}x`), await storeOver(ALL_CONTEXTS)];
  },
  maxAppendSize: 64 * 1024,
});

describe('JetStreamEventStore on a cluster', () => {
  it('keeps the stream at 3 replicas and reads through its leader (no direct gets from followers)', async () => {
    await storeOver();
    const { config, cluster: placement } = await (await nc.jetstreamManager()).streams.info('EVENTS');
    expect(config).toMatchObject({ num_replicas: 3, allow_direct: false });
    expect(placement?.replicas).toHaveLength(2);
  });
});
