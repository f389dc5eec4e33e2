import { randomUUID } from 'node:crypto';
import type { NatsConnection } from 'nats';
import { NatsServer } from '@cp/testing';
import { OutcomeUnknownError } from './bus-server';
import { connectNats } from './nats';
import { UniqueNames, type NameClaim } from './unique-names';

/** Names unique across replicas: several processes' claims, played by several connections to one nats-server. */
let server: NatsServer;
const connections: NatsConnection[] = [];

beforeAll(async () => {
  server = await NatsServer.start();
});

afterAll(async () => {
  await Promise.all(connections.map((nc) => nc.drain()));
  await server?.stop();
});

/** One replica's registry, on its own connection. */
async function replica(staleMs?: number): Promise<UniqueNames> {
  const nc = await connectNats(server.url, `replica-${connections.length}`);
  connections.push(nc);
  return UniqueNames.open(nc, staleMs);
}

const claimOf = (name: string, uuid: string, exists: (holder: string) => boolean = () => true): NameClaim =>
  ({ kind: 'account', scope: '', name, uuid, exists });

describe('UniqueNames', () => {
  it('lets exactly one of 50 concurrent claims of one name win, across replicas; the others learn the winner', async () => {
    const replicas = [await replica(), await replica()];
    const name = `n-${randomUUID()}`;
    const uuids = Array.from({ length: 50 }, () => randomUUID());
    const outcomes = await Promise.all(uuids.map((uuid, i) => replicas[i % 2].claim(claimOf(name, uuid))));
    const winners = uuids.filter((_, i) => outcomes[i].takenBy === undefined);
    expect(winners).toHaveLength(1);
    expect(outcomes.filter((o) => o.takenBy !== undefined).every((o) => o.takenBy === winners[0])).toBe(true);
    // The winner's retry holds it still (not fresh); another name is free.
    expect(await replicas[1].claim(claimOf(name, winners[0]))).toEqual({ fresh: false });
    expect(await replicas[0].claim(claimOf(`${name}-other`, uuids[1]))).toEqual({ fresh: true });
  });

  it('frees a name on release, only for its holder', async () => {
    const names = await replica();
    const [a, b] = [randomUUID(), randomUUID()];
    const name = `n-${randomUUID()}`;
    await names.claim(claimOf(name, a));
    await names.release({ kind: 'account', scope: '', name, uuid: b });
    expect((await names.claim(claimOf(name, b))).takenBy).toBe(a);
    await names.release({ kind: 'account', scope: '', name, uuid: a });
    expect(await names.claim(claimOf(name, b))).toEqual({ fresh: true });
  });

  it('keeps names of different scopes and kinds apart', async () => {
    const names = await replica();
    const name = `n-${randomUUID()}`;
    await names.claim({ ...claimOf(name, randomUUID()), kind: 'platform', scope: 'owner-1' });
    expect((await names.claim({ ...claimOf(name, randomUUID()), kind: 'platform', scope: 'owner-2' })).takenBy).toBeUndefined();
    expect((await names.claim(claimOf(name, randomUUID()))).takenBy).toBeUndefined();
  });

  it('takes over a claim whose holder never appeared, once it is stale; never a live one', async () => {
    const names = await replica(100);
    const name = `n-${randomUUID()}`;
    const dead = randomUUID();
    await names.claim(claimOf(name, dead));
    const live = await names.claim(claimOf(name, randomUUID(), () => false));
    expect(live.takenBy).toBe(dead);
    await new Promise((r) => setTimeout(r, 150));
    // Past the bound, a holder the read model knows keeps its name; one it does not know loses it.
    expect((await names.claim(claimOf(name, randomUUID(), (holder) => holder === dead))).takenBy).toBe(dead);
    expect(await names.claim(claimOf(name, randomUUID(), () => false))).toEqual({ fresh: true });
  });

  it('holding: a refused command gives its fresh claim back; one whose outcome is unknown keeps it', async () => {
    const names = await replica();
    const [refused, unknown] = [`n-${randomUUID()}`, `n-${randomUUID()}`];
    const uuid = randomUUID();
    await expect(names.holding(claimOf(refused, uuid), async () => {
      throw new Error('refused by the domain');
    })).rejects.toThrow('refused');
    expect(await names.claim(claimOf(refused, randomUUID()))).toEqual({ fresh: true });

    await expect(names.holding(claimOf(unknown, uuid), async () => {
      throw new OutcomeUnknownError('the store did not answer');
    })).rejects.toThrow('did not answer');
    expect((await names.claim(claimOf(unknown, randomUUID()))).takenBy).toBe(uuid);
    expect(await names.holding(claimOf(unknown, uuid), async (takenBy) => takenBy ?? 'mine')).toBe('mine');
  });
});
