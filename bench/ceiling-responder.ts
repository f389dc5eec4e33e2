import { connect, StorageType } from 'nats';

/**
 * The NATS side of the ceiling measurement (child process of http.bench.ts): on `<prefix>.query`
 * it replies with the request's data; on `<prefix>.cmd` it first does one JetStream publish (to a
 * file stream of its own) and one KV put (to a file bucket of its own), then replies with the data.
 * Prints `ready` once subscribed; stops on SIGTERM.
 */
const NATS_URL = process.env.NATS_URL ?? '';
const PREFIX = process.env.CEILING_PREFIX ?? 'benchceil';
const STREAM = 'BENCH_CEILING';
const BUCKET = 'bench-ceiling';

async function main(): Promise<void> {
  const nc = await connect({ servers: NATS_URL, name: 'bench-ceiling-responder', maxReconnectAttempts: 10 });
  const jsm = await nc.jetstreamManager();
  await jsm.streams.add({ name: STREAM, subjects: [`${PREFIX}.events.>`], storage: StorageType.File });
  const js = nc.jetstream();
  const kv = await js.views.kv(BUCKET, { history: 1, storage: StorageType.File });

  nc.subscribe(`${PREFIX}.query`, { callback: (err, msg) => { if (!err) msg.respond(msg.data); } });

  let n = 0;
  nc.subscribe(`${PREFIX}.cmd`, {
    callback: (err, msg) => {
      if (err) return;
      const i = n++;
      void (async () => {
        try {
          await js.publish(`${PREFIX}.events.${i % 1024}`, msg.data);
          await kv.put(`job-${i}`, msg.data);
          msg.respond(msg.data);
        } catch (error) {
          msg.respond(Buffer.from(JSON.stringify({ ok: false, error: (error as Error).message })));
        }
      })();
    },
  });
  await nc.flush();
  process.stdout.write('ready\n');

  const stop = async () => {
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
