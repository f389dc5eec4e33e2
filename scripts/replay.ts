import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, type NatsConnection } from 'nats';
import { ADMIN_ACCOUNT_NAME, type BusReply } from '@cp/contracts';
import { readModelSubjects } from '@cp/bus';
import { commandLine, eventStoreConfig } from '@cp/config';
import { createEventStore } from '@cp/event-store';
import { REPLAY_USAGE, parseReplayArgs, type ReplayArgs } from './replay/args';
import { diffRows } from './replay/diff';
import { freshModels, replayContext } from './replay/replay';

/**
 * `npm run replay -- [--context <name>] [--verify] [--to <position|time>] [--nats <url>]` (`--help`:
 * the usage; an unknown flag or a bad value prints one line and the usage, exit 2: replay/args.ts)
 *
 * Rebuilds read models from the log, with a progress bar (events done, events/s, time left).
 * `--verify` asks the running services for their live models (`<context>.query.ReadModelSnapshot`,
 * as the built-in admin: CP_ADMIN_PASSWORD), rebuilds each to the position its live model has
 * applied, prints every difference, and exits 1 on any drift. NATS: `--nats`, else NATS_URL, else
 * the `nats.url` file `npm start` writes in DATA_DIR. The log: the event store the services are
 * configured with (EVENT_STORE, ESDB_CONNECTION_STRING), read through the event store port.
 */
const say = (line: string) => process.stdout.write(`[replay] ${line}\n`);

function natsUrl(args: ReplayArgs): string {
  const given = args.nats ?? process.env.NATS_URL;
  if (given) return given;
  const file = join(process.env.DATA_DIR || 'data', 'nats.url');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  throw new Error('no NATS to read the log from: pass --nats <url>, set NATS_URL, or run `npm start` (it writes DATA_DIR/nats.url)');
}

class ProgressBar {
  private readonly started = performance.now();
  private last = 0;
  constructor(private readonly label: string, private readonly total: number) {}

  update(events: number, position: bigint | null, final = false): void {
    const now = performance.now();
    if (!final && now - this.last < 200) return;
    this.last = now;
    const seconds = (now - this.started) / 1000;
    const rate = events / Math.max(seconds, 0.001);
    const fraction = this.total > 0 && position !== null ? Math.min(1, Number(position) / this.total) : final ? 1 : 0;
    const left = fraction > 0 ? seconds * (1 - fraction) / fraction : NaN;
    const bar = '#'.repeat(Math.round(fraction * 30)).padEnd(30, '.');
    const line = `${this.label} [${bar}] ${events.toLocaleString('en-US')} events  ${Math.round(rate).toLocaleString('en-US')}/s  ` +
      `${final ? `done in ${seconds.toFixed(1)} s` : `${Number.isNaN(left) ? '?' : left.toFixed(1)} s left`}`;
    process.stderr.write(process.stderr.isTTY ? `\r${line}${final ? '\n' : ''}` : final ? `${line}\n` : '');
  }
}

async function adminSession(nc: NatsConnection): Promise<string> {
  const password = process.env.CP_ADMIN_PASSWORD;
  if (!password) throw new Error('--verify asks the services for their live models as the admin: set CP_ADMIN_PASSWORD');
  const reply = await request<{ inventory: { uuid: string } }>(nc, 'identity.query.LogInByAccount', {}, {
    accountName: ADMIN_ACCOUNT_NAME, password: createHash('sha512').update(password).digest('hex'),
  });
  return reply.inventory.uuid;
}

async function request<R>(nc: NatsConnection, subject: string, auth: Record<string, unknown>, payload: Record<string, unknown>): Promise<R> {
  const msg = await nc.request(subject, Buffer.from(JSON.stringify({ commandId: randomUUID().replace(/-/g, ''), auth, payload })), { timeout: 60_000 });
  const reply = JSON.parse(Buffer.from(msg.data).toString('utf8')) as BusReply<R>;
  if (!reply.ok) throw new Error(`${subject}: ${reply.error.code} ${reply.error.details}`);
  return reply.result;
}

async function main(args: ReplayArgs): Promise<number> {
  const { contexts, verify } = args;
  // No checkpoints: a replay reads the whole log.
  const config = { ...eventStoreConfig(process.env), checkpointIntervalMs: null };
  // The bus, for --verify, and the log itself on JetStream; an EventStoreDB log is read without it.
  const nc = config.kind === 'jetstream' || verify ? await connect({ servers: natsUrl(args), name: 'replay' }) : null;
  let drift = 0;
  try {
    const session = verify ? await adminSession(nc!) : undefined;
    for (const context of contexts) {
      const store = await createEventStore(config, nc, context);
      const models = freshModels(context);
      const limit = { ...args.limit };
      let live: Record<string, { position: string | null; data: unknown }> = {};
      if (verify) {
        live = (await request<{ models: typeof live }>(nc!, readModelSubjects(context).snapshot, { sessionUuid: session }, {})).models;
        limit.perModel = Object.fromEntries(Object.entries(live).map(([name, m]) => [name, m.position === null ? null : BigInt(m.position)]));
      }
      const head = await store.headPosition();
      const bar = new ProgressBar(context, head === null ? 0 : Number(head));
      const started = performance.now();
      const done = await replayContext(store, models, limit, (p) => bar.update(p.events, p.position));
      bar.update(done.events, done.position, true);
      const seconds = (performance.now() - started) / 1000;
      say(`${context}: ${done.events} events replayed in ${seconds.toFixed(2)} s (${Math.round(done.events / Math.max(seconds, 0.001))}/s), ` +
        `to position ${done.position ?? 'none'}; ${models.map(({ name, model }) => `${name} ${(model.snapshot() as unknown[]).length} rows`).join(', ')}`);
      if (verify) {
        for (const { name, model } of models) {
          const differences = diffRows(name, (live[name]?.data ?? []) as never, model.snapshot() as never);
          for (const line of differences) say(`DRIFT ${line}`);
          drift += differences.length;
          if (differences.length === 0) say(`${name}: the live model equals the log (position ${live[name]?.position ?? 'none'})`);
        }
      }
      await store.close();
    }
  } finally {
    await nc?.drain();
  }
  if (verify) say(drift === 0 ? 'verified: no drift' : `${drift} differences between the live models and the log`);
  return drift === 0 ? 0 : 1;
}

// A bad command line stops here: one line and the usage, exit 2 (--help: the usage, exit 0).
main(commandLine('replay', REPLAY_USAGE, parseReplayArgs)).then((code) => process.exit(code), (error) => {
  process.stderr.write(`[replay] ${(error as Error).message}\n`);
  process.exit(2);
});
