import { Module, type DynamicModule, type INestMicroservice, type Type } from '@nestjs/common';
import { serviceConfig } from '@cp/config';
import { CommandHandler, QueryHandler, type ICommandHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { NatsConnection } from 'nats';
import { ApiMessage, ApiParam, invalidArgument, type BusApiEntry, type BusReply } from '@cp/contracts';
import { NatsServer } from '@cp/testing';
import { BusClient, BusUnanswered } from './bus-client';
import type { HandlerOutcome } from './bus-message';
import { startService } from './run-service';
import { SERVICE_CONFIG } from './service-kit';
import { JobStore } from './job-store';
import { connectNats } from './nats';

const id = (n: number) => n.toString(16).padStart(32, '0');

/** A service with a command that counts its runs, a refused one, a slow query, and a broken one. */
const runs: string[] = [];
const whoAnsweredBy: object[] = [];

class CountMsg extends ApiMessage {}
class RefuseMsg extends ApiMessage {}
class SlowMsg extends ApiMessage {}
class BrokenMsg extends ApiMessage {
  @ApiParam() secret?: string;
}
class WhoMsg extends ApiMessage {}
class NamedMsg extends ApiMessage {
  @ApiParam({ required: true, maxLength: 8 }) name!: string;
}

const api = (name: string, kind: 'command' | 'query', request: BusApiEntry['request']): BusApiEntry =>
  ({ name, context: 'identity', kind, access: 'none', request, wire: 'bus' });
const PROBE_APIS = [
  api('Count', 'command', CountMsg), api('Refuse', 'command', RefuseMsg), api('Slow', 'query', SlowMsg),
  api('Broken', 'query', BrokenMsg), api('Who', 'query', WhoMsg), api('Named', 'query', NamedMsg),
];

@CommandHandler(CountMsg)
class CountHandler implements ICommandHandler<CountMsg, HandlerOutcome> {
  async execute(msg: CountMsg): Promise<HandlerOutcome> {
    runs.push(msg.call.bus.commandId);
    return { result: { runs: runs.length, via: msg.call.bus.via }, position: BigInt(runs.length) };
  }
}

@CommandHandler(RefuseMsg)
class RefuseHandler implements ICommandHandler<RefuseMsg, HandlerOutcome> {
  async execute(): Promise<HandlerOutcome> {
    throw invalidArgument('field[name] is bad');
  }
}

@QueryHandler(SlowMsg)
class SlowHandler implements IQueryHandler<SlowMsg, HandlerOutcome> {
  async execute(): Promise<HandlerOutcome> {
    await new Promise((r) => setTimeout(r, 500));
    return { result: { slow: true } };
  }
}

@QueryHandler(BrokenMsg)
class BrokenHandler implements IQueryHandler<BrokenMsg, HandlerOutcome> {
  async execute(msg: BrokenMsg): Promise<HandlerOutcome> {
    throw new Error(`database password is ${String(msg.secret)}`);
  }
}

@QueryHandler(WhoMsg)
class WhoHandler implements IQueryHandler<WhoMsg, HandlerOutcome> {
  async execute(): Promise<HandlerOutcome> {
    whoAnsweredBy.push(this);
    return { result: {} };
  }
}

@QueryHandler(NamedMsg)
class NamedHandler implements IQueryHandler<NamedMsg, HandlerOutcome> {
  async execute(msg: NamedMsg): Promise<HandlerOutcome> {
    return { result: { name: msg.name, fromWire: 'call' in msg.call.bus.payload } };
  }
}

@Module({})
class ProbeModule {
  /** The handlers given, and the service config the transport reads (where NATS is). */
  static with(natsUrl: string, handlers: Type[]): DynamicModule {
    return { module: ProbeModule, providers: [...handlers, { provide: SERVICE_CONFIG, useValue: serviceConfig({ NATS_URL: natsUrl }) }] };
  }
}

const ALL_HANDLERS = [CountHandler, RefuseHandler, SlowHandler, BrokenHandler, WhoHandler, NamedHandler];

let nats: NatsServer;
let nc: NatsConnection;
let client: BusClient;
const services: INestMicroservice[] = [];

async function startProbe(): Promise<INestMicroservice> {
  const app = await startService({ context: 'identity', name: 'probe', module: ProbeModule.with(nats.url, ALL_HANDLERS), apis: PROBE_APIS, logger: false });
  services.push(app);
  return app;
}

beforeAll(async () => {
  nats = await NatsServer.start();
  nc = await connectNats(nats.url, 'bus-test');
  client = new BusClient(nc);
  await startProbe();
});

afterAll(async () => {
  for (const s of services) await s.close();
  await nc?.drain();
  await nats?.stop();
});

describe('the bus', () => {
  it('runs a command once per command id and returns the first outcome to a repeat', async () => {
    const first = await client.request('identity.cmd.Count', { commandId: id(1), payload: {}, via: 'rest' }, 2000);
    const again = await client.request('identity.cmd.Count', { commandId: id(1), payload: {} }, 2000);
    expect(first).toEqual({ ok: true, result: { runs: 1, via: 'rest' }, position: '1' });
    expect(again).toEqual(first);
    expect(runs).toEqual([id(1)]);
    const jobs = await JobStore.open(nc);
    expect(await jobs.get(id(1))).toMatchObject({ state: 'done', api: 'Count', ok: true, position: '1' });
  });

  it('runs concurrent repeats of one command id once', async () => {
    const replies = await Promise.all(Array.from({ length: 10 }, () =>
      client.request('identity.cmd.Count', { commandId: id(2), payload: {} }, 2000)));
    expect(new Set(replies.map((r) => JSON.stringify(r))).size).toBe(1);
    expect(runs.filter((r) => r === id(2))).toHaveLength(1);
  });

  it('records a refused command as an error outcome', async () => {
    const reply = await client.request('identity.cmd.Refuse', { commandId: id(3), payload: {} }, 2000);
    expect(reply).toEqual({ ok: false, error: { code: 'SYS.1007', description: 'One or more API argument is invalid', details: 'field[name] is bad' } });
    expect(await (await JobStore.open(nc)).get(id(3))).toMatchObject({ state: 'done', ok: false });
  });

  it('rejects a malformed envelope with SYS.1007', async () => {
    const raw = await nc.request('identity.cmd.Count', new TextEncoder().encode('{"commandId":"nope"}'), { timeout: 2000 });
    const reply = JSON.parse(new TextDecoder().decode(raw.data)) as BusReply;
    expect(reply.ok).toBe(false);
    expect(!reply.ok && reply.error.details).toContain('commandId');
    const notJson = await nc.request('identity.query.Who', new TextEncoder().encode('{{'), { timeout: 2000 });
    expect(JSON.parse(new TextDecoder().decode(notJson.data)).error.code).toBe('SYS.1007');
  });

  it('answers an unexpected failure with SYS.1000 and a reference, never its text', async () => {
    const reply = await client.request('identity.query.Broken', { commandId: id(4), payload: { secret: 'hunter2' } }, 2000);
    expect(reply.ok).toBe(false);
    expect(JSON.stringify(reply)).not.toContain('hunter2');
    expect(!reply.ok && reply.error).toMatchObject({ code: 'SYS.1000' });
  });

  it('times out a request, and fails at once where no service listens', async () => {
    await expect(client.request('identity.query.Slow', { commandId: id(5), payload: {} }, 100)).rejects.toMatchObject({ reason: 'timeout' });
    const started = Date.now();
    const error = await client.request('identity.query.Nobody', { commandId: id(6), payload: {} }, 5000).catch((e) => e);
    expect(error).toBeInstanceOf(BusUnanswered);
    expect(error.reason).toBe('no-responders');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('matches each reply to its request, many at once; a request larger than max_payload is SYS.1007 and the client goes on', async () => {
    const names = Array.from({ length: 200 }, (_, i) => `n${i}`);
    const replies = await Promise.all(names.map((name, i) => client.request('identity.query.Named', { commandId: id(100 + i), payload: { name } }, 5000)));
    expect(replies.map((r) => r.ok && (r.result as { name: string }).name)).toEqual(names);
    const huge = 'x'.repeat((nc.info?.max_payload ?? 1_048_576) + 1);
    const refused = await client.request('identity.query.Named', { commandId: id(400), payload: { name: huge } }, 2000).catch((e) => e);
    expect(refused).toMatchObject({ code: 'SYS.1007', message: expect.stringContaining('larger than the bus accepts') });
    expect(await client.request('identity.query.Named', { commandId: id(401), payload: { name: 'after' } }, 2000)).toMatchObject({ ok: true, result: { name: 'after' } });
  });

  it('validates the payload into the request class before the handler, which never sees undeclared fields as its own', async () => {
    const refused = await client.request('identity.query.Named', { commandId: id(8), payload: { name: 'far too long' } }, 2000);
    expect(!refused.ok && refused.error).toMatchObject({ code: 'SYS.1007', details: expect.stringContaining('field[name] of message[NamedMsg]') });
    const answered = await client.request('identity.query.Named', { commandId: id(9), payload: { name: ' ok ', call: { auth: 'forged' } } }, 2000);
    expect(answered).toEqual({ ok: true, result: { name: 'ok', fromWire: true } });
  });

  it('refuses to start a service whose module lacks a handler for one of its APIs', async () => {
    await expect(startService({ context: 'identity', name: 'half', module: ProbeModule.with(nats.url, [CountHandler]), apis: PROBE_APIS, logger: false }))
      .rejects.toThrow('no handler for Refuse, Slow, Broken, Who, Named');
  });

  it('shares requests between replicas of a queue group, each answered once', async () => {
    await startProbe();
    const replies = await Promise.all(Array.from({ length: 40 }, (_, i) =>
      client.request('identity.query.Who', { commandId: id(100 + i), payload: {} }, 2000)));
    expect(replies.every((r) => r.ok)).toBe(true);
    expect(whoAnsweredBy).toHaveLength(40);
    expect(new Set(whoAnsweredBy).size).toBe(2);
  });
});

describe('the job store', () => {
  it('keeps the first record with createIfAbsent', async () => {
    const jobs = await JobStore.open(nc);
    const pending = { state: 'pending' as const, api: 'X', owner: { credential: 'c' }, deadline: new Date().toISOString() };
    expect(await jobs.createIfAbsent(id(7), pending)).toEqual(expect.any(Number));
    expect(await jobs.createIfAbsent(id(7), { ...pending, api: 'Y' })).toBeNull();
    expect((await jobs.get(id(7)))?.api).toBe('X');
  });
});
