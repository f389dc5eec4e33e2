import { NatsError, StorageType, connect, headers, type JetStreamClient, type KV, type Msg } from 'nats';

/**
 * The NATS side of the ceilings (a child process of http.bench.ts, as identity-svc is one in the
 * product): the best a bare responder can do on the product's path.
 *
 * - `<prefix>.query`: replies with a fixed, small JSON inventory (one account), as QueryAccount does.
 * - `<prefix>.cmd`: the request carries `{ commandId, uuid, payload }`. The responder does one
 *   JetStream publish on `<prefix>.events.<uuid>` (a file stream of its own, configured as the
 *   product's EVENTS stream) with `Nats-Msg-Id: <commandId>` and
 *   `Nats-Expected-Last-Subject-Sequence: <last sequence of that subject>` (the responder tracks the
 *   last sequence per subject, as the product tracks each aggregate's version), then one KV put of
 *   the job outcome (a file bucket of its own, configured as the product's job bucket), then replies.
 *   A wrong-last-sequence answer (two concurrent requests on one subject) is retried with the
 *   sequence the server reports, as the product retries a conflict.
 *
 * A failed command is answered with the header `Bench-Status: 500` (ceiling-http turns it into a 500).
 * Prints `ready` once subscribed; prints its counters on SIGTERM and stops.
 */
const NATS_URL = process.env.NATS_URL ?? '';
const PREFIX = process.env.CEILING_PREFIX ?? 'benchceil';
const STREAM = 'BENCH_CEILING';
const BUCKET = 'bench-ceiling-jobs';
/** The product's job TTL (DEFAULT_JOB_TTL_MS, ZStack's 10800 s). */
const JOB_TTL_MS = 10_800_000;
const MAX_CONFLICT_RETRIES = 10;
/** JetStream's "wrong last sequence: N". */
const ERR_WRONG_LAST_SEQUENCE = 10071;

/** What QueryAccount answers for one account (same fields, same sizes). */
const INVENTORY = Buffer.from(JSON.stringify({
  inventories: [{
    uuid: '5f2f3c3e0b8a4a6f9d1c2b3a4e5f6a7b', name: 'bench-u-0000', description: 'benchmark account 0000',
    type: 'Normal', state: 'Enabled', createDate: 'Dec 6, 2026 2:13:30 AM', lastOpDate: 'Dec 6, 2026 2:13:30 AM',
  }],
}));

const counters = { queries: 0, commands: 0, conflicts: 0, failed: 0 };

async function command(js: JetStreamClient, kv: KV, last: Map<string, number>, msg: Msg): Promise<void> {
  const { commandId, uuid } = JSON.parse(Buffer.from(msg.data).toString('utf8')) as { commandId: string; uuid: string };
  const subject = `${PREFIX}.events.${uuid}`;
  for (let attempt = 0; ; attempt++) {
    const h = headers();
    h.set('Nats-Msg-Id', commandId);
    h.set('Nats-Expected-Last-Subject-Sequence', String(last.get(subject) ?? 0));
    try {
      const ack = await js.publish(subject, msg.data, { headers: h });
      last.set(subject, Math.max(last.get(subject) ?? 0, ack.seq));
      break;
    } catch (error) {
      const api = error instanceof NatsError ? error.api_error : undefined;
      if (api?.err_code !== ERR_WRONG_LAST_SEQUENCE || attempt >= MAX_CONFLICT_RETRIES) throw error;
      counters.conflicts++;
      const actual = /(\d+)\s*$/.exec(api.description ?? '');
      if (actual) last.set(subject, Number(actual[1]));
    }
  }
  await kv.put(commandId, msg.data);
}

async function main(): Promise<void> {
  const nc = await connect({ servers: NATS_URL, name: 'bench-ceiling-responder', maxReconnectAttempts: 10, noAsyncTraces: true });
  const jsm = await nc.jetstreamManager();
  await jsm.streams.add({
    name: STREAM, subjects: [`${PREFIX}.events.>`], storage: StorageType.File, deny_delete: true, deny_purge: true, allow_direct: true,
  });
  const js = nc.jetstream();
  const kv = await js.views.kv(BUCKET, { ttl: JOB_TTL_MS, history: 1, storage: StorageType.File });
  const last = new Map<string, number>();

  nc.subscribe(`${PREFIX}.query`, {
    callback: (err, msg) => {
      if (err) return;
      counters.queries++;
      msg.respond(INVENTORY);
    },
  });

  nc.subscribe(`${PREFIX}.cmd`, {
    callback: (err, msg) => {
      if (err) return;
      counters.commands++;
      command(js, kv, last, msg).then(
        () => msg.respond(msg.data),
        (error) => {
          counters.failed++;
          const h = headers();
          h.set('Bench-Status', '500');
          msg.respond(Buffer.from(JSON.stringify({ ok: false, error: (error as Error).message })), { headers: h });
        },
      );
    },
  });
  await nc.flush();
  process.stdout.write('ready\n');

  const stop = async () => {
    process.stdout.write(`counters ${JSON.stringify(counters)}\n`);
    await nc.drain().catch(() => undefined);
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

main().catch((error) => {
  process.stderr.write(`ceiling-responder: ${(error as Error).stack}\n`);
  process.exit(1);
});
