import { NatsServer } from '@cp/testing';
import { FreezableProxy } from '../../testing/src/tcp-proxy';
import { connectNats, natsLink } from './nats';

let server: NatsServer;

beforeAll(async () => {
  server = await NatsServer.start();
});

afterAll(async () => {
  await server?.stop();
});

async function until(what: string, timeoutMs: number, ok: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('natsLink', () => {
  it('says reconnecting while nats-server is down (kill -9), connected again once it is back', async () => {
    const nc = await connectNats(server.url, 'link-test');
    const link = natsLink(nc);
    expect(natsLink(nc)).toBe(link);
    const up = await link.probe(1000);
    expect(up.state).toBe('connected');
    expect(up.rttMs).toBeGreaterThanOrEqual(0);

    await server.kill();
    await until('reconnecting', 2000, () => link.state === 'reconnecting');
    const started = Date.now();
    expect(await link.probe(1000)).toEqual({ state: 'reconnecting' });
    expect(Date.now() - started).toBeLessThan(100);

    await server.restart();
    await until('connected again', 10_000, () => link.state === 'connected');
    expect((await link.probe(1000)).state).toBe('connected');

    await nc.close();
    expect(link.state).toBe('closed');
  }, 30_000);

  it('says unresponsive when the server does not answer a round trip in time, without waiting longer', async () => {
    const proxy = await FreezableProxy.start(server.port);
    const nc = await connectNats(proxy.url, 'link-test', { pingInterval: 120_000 });
    try {
      const link = natsLink(nc);
      expect((await link.probe(1000)).state).toBe('connected');
      proxy.freeze();
      const started = Date.now();
      expect(await link.probe(300)).toEqual({ state: 'unresponsive' });
      expect(Date.now() - started).toBeLessThan(1000);
      proxy.thaw();
      await until('answering again', 5000, async () => (await link.probe(300)).state === 'connected');
    } finally {
      await nc.close();
      await proxy.close();
    }
  }, 30_000);
});
