import { cpus } from 'node:os';
import { ADMIN_ACCOUNT_UUID, APIQueryAccountMsg, AccountInventoryDescriptor, accountStreamId, validatePayload, type AccountEvent } from '@cp/contracts';
import type { StoredEvent } from '@cp/event-store';
import { parseQueryString, runQuery, scanOnly, seededRandom, type QueryRequest, type QuerySource } from '@cp/query';
import type { BusMessage } from '@cp/bus';
import type { IdentityConfig } from '../apps/identity-svc/src/config';
import { AccountReadModel } from '@cp/read-models/identity';
import { QueryAccountHandler } from '../apps/identity-svc/src/accounts/query-account/query-account.handler';
import { runBench, say, table } from './support';

/**
 * QueryAccount by name (`q=name=<x>`, the admin's view) in-process: `runQuery` on identity-svc's
 * account read model at 1,000 and at 100,000 accounts, answered from the name index; the same
 * queries by scan for reference. Prints figures, asserts nothing. Target: the time at 100,000
 * within 10 % of the time at 1,000.
 *
 *   node -r @swc-node/register bench/query-index.bench.ts
 *
 * Each size's read model is built by applying AccountCreated events (names `acct-000123`); queries
 * name accounts drawn at random (fixed seed). Requests are parsed beforehand: only the engine
 * (runQuery on the read model's source) is timed. The figures per size:
 *
 * - rows read per query: the rows the engine gets from the source (the index's candidates, or the
 *   scan's rows): the work, which the index makes independent of the number of accounts.
 * - hot, 256 accounts: queries back to back for the same number of distinct accounts (256) at both
 *   sizes, so that both touch as much memory: the engine's cost, the cache footprint equal.
 * - hot, spread: queries back to back for 4,096 accounts drawn from the whole population. At 1,000
 *   accounts the model sits in the CPU caches whole; at 100,000 (tens of MB) the few memory reads of
 *   a lookup (hash table, row, inventory) miss them. The bare-Map line does only those reads
 *   (Map.get of the name, then the inventory's name) on the same names: the floor any in-memory
 *   hash index pays, whatever the engine does.
 * - cold cache: the CPU caches flushed (a buffer twice the L3 read through, not timed) before each
 *   query, spread as above; the median query.
 * - handler: the whole of identity-svc's QueryAccount handler in-process, as a request from the bus
 *   reaches it (payload validation, the query, the reply serialized to JSON), spread as above; only
 *   the session check is stubbed (the admin's session) and NATS left out.
 * Batches of the sizes are interleaved; a hot figure is the median of batch means.
 *
 * Knobs: BENCH_SIZES (1000,100000), BENCH_BATCHES (15), BENCH_BATCH (5000 hot queries per batch),
 * BENCH_COLD (300 cold queries per size and round, 5 rounds), BENCH_FLUSH_MB (64), BENCH_HANDLER (2000 requests per batch).
 */
const TAG = 'query-index';
const SIZES = (process.env.BENCH_SIZES || '1000,100000').split(',').map(Number);
const BATCHES = Number(process.env.BENCH_BATCHES || 15);
const BATCH = Number(process.env.BENCH_BATCH || 5000);
const COLD = Number(process.env.BENCH_COLD || 300);
const FLUSH_MB = Number(process.env.BENCH_FLUSH_MB || 64);
const COLD_ROUNDS = 5;
const HANDLER_BATCH = Number(process.env.BENCH_HANDLER || 2000);
const SCHEMA = AccountInventoryDescriptor.fields;

if (SIZES.some((n) => !Number.isInteger(n) || n < 1 || n > 1_000_000)) throw new Error('BENCH_SIZES must be integers in [1, 1000000]');
for (const [name, v] of Object.entries({ BENCH_BATCHES: BATCHES, BENCH_BATCH: BATCH, BENCH_COLD: COLD, BENCH_FLUSH_MB: FLUSH_MB, BENCH_HANDLER: HANDLER_BATCH })) {
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a positive integer`);
}

const nameOf = (i: number) => `acct-${String(i).padStart(6, '0')}`;

function buildModel(accounts: number): { model: AccountReadModel; ms: number } {
  const model = new AccountReadModel();
  const t0 = performance.now();
  const createDate = new Date().toISOString();
  const apply = (uuid: string, name: string, type: 'SystemAdmin' | 'Normal', position: number) => {
    const event: AccountEvent = { type: 'AccountCreated', data: { uuid, name, type, state: 'Enabled', passwordHash: '$scrypt$x', createDate } };
    model.apply({
      ...event, eventId: `e${position}`, streamId: accountStreamId(uuid), schemaVersion: 1, streamVersion: 0n,
      position: BigInt(position), metadata: {},
    } as unknown as StoredEvent);
  };
  apply(ADMIN_ACCOUNT_UUID, 'admin', 'SystemAdmin', 1);
  for (let i = 0; i < accounts; i++) apply(`${i.toString(16).padStart(32, '0')}`, nameOf(i), 'Normal', i + 2);
  return { model, ms: performance.now() - t0 };
}

/** The source, counting the rows the engine reads from it (lookup candidates or scanned rows). */
function counting(source: QuerySource<object>): { source: QuerySource<object>; read: () => number } {
  let read = 0;
  const count = (rows: Iterable<object>) => {
    const list = [...rows];
    read += list.length;
    return list;
  };
  const lookup = source.lookup;
  return {
    source: {
      all: () => count(source.all()),
      get: source.get,
      lookup: lookup && ((field, values) => {
        const found = lookup(field, values);
        return found && { size: found.size, rows: () => count(found.rows()) };
      }),
    },
    read: () => read,
  };
}

/** Runs the size's requests in turn; checks that each matched one account. */
function runner(source: QuerySource<object>, requests: QueryRequest[]) {
  let next = 0;
  return () => {
    const result = runQuery(source, requests[next++ % requests.length], SCHEMA, { timeLimitMs: Infinity });
    if (result.inventories?.length !== 1) throw new Error(`a query by name matched ${result.inventories?.length} accounts, expected 1`);
  };
}

/** Mean µs per query over `count` queries back to back. */
function hot(run: () => void, count: number): number {
  const t0 = performance.now();
  for (let i = 0; i < count; i++) run();
  return ((performance.now() - t0) * 1000) / count;
}

const flushBuffer = new Int32Array((FLUSH_MB * 1024 * 1024) / 4);
let flushSink = 0;
/** Reads the buffer through, a cache line at a time: what was in the CPU caches is evicted. */
function flush(): void {
  let s = 0;
  for (let i = 0; i < flushBuffer.length; i += 16) s += flushBuffer[i];
  flushSink += s;
}

/** µs of each of `count` queries, each run after a flush. */
function cold(run: () => void, count: number): number[] {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    flush();
    const t0 = performance.now();
    run();
    times.push((performance.now() - t0) * 1000);
  }
  return times;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** identity-svc's QueryAccount handler on `model`, as the bus pipeline hands it a request: validated, the caller the admin. */
function handlerOf(model: AccountReadModel, names: string[]): () => Promise<void> {
  const config = { queryTimeLimitMs: 1000, readYourWritesTimeoutMs: 5000 } as IdentityConfig;
  const handler = new QueryAccountHandler(model, config);
  let next = 0;
  return async () => {
    const name = names[next++ % names.length];
    const payload = { query: { conditions: [{ field: 'name', op: '=', value: name }], limit: 1000, start: 0, count: false, replyWithCount: false } };
    const msg = validatePayload(APIQueryAccountMsg, payload);
    msg.call = {
      bus: {
        subject: 'identity.query.QueryAccount', api: 'QueryAccount', commandId: 'c', correlationId: 'c', auth: { sessionUuid: 's' },
        payload, minPosition: null, via: 'rest', recovering: false,
      } as BusMessage,
      auth: { ok: true, caller: { accountUuid: ADMIN_ACCOUNT_UUID, userUuid: ADMIN_ACCOUNT_UUID } },
    };
    const reply = JSON.stringify(await handler.execute(msg));
    if (!reply.includes(name)) throw new Error(`QueryAccount for ${name} did not answer it: ${reply}`);
  };
}

/** Mean µs per request over `count` requests one after the other. */
async function hotAsync(run: () => Promise<void>, count: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < count; i++) await run();
  return ((performance.now() - t0) * 1000) / count;
}

/** `count` names of accounts drawn at random (fixed seed) from `size`. */
function names(size: number, count: number, seed: number): string[] {
  const rng = seededRandom(seed);
  return Array.from({ length: count }, () => nameOf(Math.floor(rng() * size)));
}

const toRequests = (list: string[]) => list.map((name) => parseQueryString({ q: `name=${name}` }));

interface Figure {
  accounts: number;
  buildMs: number;
  rowsReadIndex: number;
  rowsReadScan: number;
  hotNarrowUs: number;
  hotSpreadUs: number;
  handlerUs: number;
  bareMapSpreadUs: number;
  coldSpreadUs: number;
  scanUs: number;
}

runBench(TAG, 15 * 60_000, async () => {
  say(TAG, `node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'})`);
  const runs = SIZES.map((size) => {
    const { model, ms } = buildModel(size);
    const source = model.visibleTo(ADMIN_ACCOUNT_UUID, true);
    const spread = toRequests(names(size, 4096, size));
    const narrow = toRequests(names(size, 256, size + 1));
    // The floor: the name's hash-table entry and the inventory, nothing else.
    const byName = new Map<string, { name: string }>();
    for (const inventory of source.all()) byName.set(inventory.name, inventory);
    const spreadNames = names(size, 4096, size);
    let next = 0;
    let sink = 0;
    const bare = () => {
      sink += byName.get(spreadNames[next++ & 4095])!.name.length;
    };
    say(TAG, `built ${size} accounts in ${ms.toFixed(0)} ms`);
    return {
      size, ms, source, spread,
      hotNarrow: runner(source, narrow), hotSpread: runner(source, spread), bare, scan: runner(scanOnly(source), spread),
      handler: handlerOf(model, spreadNames),
      narrowUs: [] as number[], spreadUs: [] as number[], bareUs: [] as number[], coldUs: [] as number[], handlerUs: [] as number[], sink: () => sink,
    };
  });

  // Rows read per query, index and scan.
  const reads = runs.map((r) => {
    const indexed = counting(r.source);
    const scanned = counting(scanOnly(r.source));
    const [i, s] = [runner(indexed.source, r.spread), runner(scanned.source, r.spread)];
    for (let q = 0; q < 20; q++) {
      i();
      s();
    }
    return { index: indexed.read() / 20, scan: scanned.read() / 20 };
  });

  say(TAG, `hot: ${BATCHES} batches of ${BATCH} queries per size and kind, interleaved (after a warm-up)`);
  for (const r of runs) for (const run of [r.hotNarrow, r.hotSpread, r.bare]) hot(run, BATCH * 2);
  for (let b = 0; b < BATCHES; b++) {
    for (const r of runs) {
      r.narrowUs.push(hot(r.hotNarrow, BATCH));
      r.spreadUs.push(hot(r.hotSpread, BATCH));
      r.bareUs.push(hot(r.bare, BATCH));
    }
  }

  say(TAG, `handler: ${BATCHES} batches of ${HANDLER_BATCH} QueryAccount requests per size, interleaved (after a warm-up)`);
  for (const r of runs) await hotAsync(r.handler, HANDLER_BATCH);
  for (let b = 0; b < BATCHES; b++) for (const r of runs) r.handlerUs.push(await hotAsync(r.handler, HANDLER_BATCH));

  say(TAG, `cold cache: ${COLD_ROUNDS} rounds of ${COLD} queries per size, interleaved, each after reading ${FLUSH_MB} MB through`);
  for (let b = 0; b < COLD_ROUNDS; b++) for (const r of runs) r.coldUs.push(...cold(r.hotSpread, COLD));

  say(TAG, 'scan, for reference (hot)');
  const scanUs = runs.map((r) => {
    const n = Math.max(3, Math.min(BATCH, Math.floor(2_000_000 / r.size)));
    hot(r.scan, Math.max(1, Math.floor(n / 10)));
    return median(Array.from({ length: 5 }, () => hot(r.scan, n)));
  });

  const figures: Figure[] = runs.map((r, k) => ({
    accounts: r.size, buildMs: Math.round(r.ms), rowsReadIndex: reads[k].index, rowsReadScan: reads[k].scan,
    hotNarrowUs: Number(median(r.narrowUs).toFixed(3)), hotSpreadUs: Number(median(r.spreadUs).toFixed(3)), handlerUs: Number(median(r.handlerUs).toFixed(3)),
    bareMapSpreadUs: Number(median(r.bareUs).toFixed(3)), coldSpreadUs: Number(median(r.coldUs).toFixed(3)), scanUs: Number(scanUs[k].toFixed(2)),
  }));
  const first = figures[0];
  const last = figures[figures.length - 1];
  const ratio = (key: keyof Figure) => last[key] / first[key];
  const verdict = (x: number) => (x <= 1.1 ? 'PASS' : 'MISS');
  const kinds: Array<[keyof Figure, string]> = [
    ['hotNarrowUs', 'index, hot, 256 accounts'], ['hotSpreadUs', 'index, hot, spread'], ['bareMapSpreadUs', 'bare Map.get, hot, spread'],
    ['coldSpreadUs', 'index, cold cache, spread'], ['handlerUs', 'QueryAccount handler, spread'], ['scanUs', 'scan, hot, spread'],
  ];
  process.stdout.write(`\nQueryAccount q=name=<x> (admin), runQuery on the account read model: µs per query\n\n${table([
    ['', ...figures.map((f) => `${f.accounts} accounts`), `ratio ${last.accounts} / ${first.accounts}`, 'target <= 1.10'],
    ['rows read per query: index', ...figures.map((f) => f.rowsReadIndex), ratio('rowsReadIndex').toFixed(2), verdict(ratio('rowsReadIndex'))],
    ['rows read per query: scan', ...figures.map((f) => f.rowsReadScan), ratio('rowsReadScan').toFixed(0), ''],
    ...kinds.map(([key, label]) => [label, ...figures.map((f) => Number(f[key]).toFixed(key === 'scanUs' ? 1 : 3)), ratio(key).toFixed(3), key === 'scanUs' ? '' : verdict(ratio(key))]),
    ['build the model (ms)', ...figures.map((f) => f.buildMs), '', ''],
  ])}\n\n`);
  process.stdout.write(`${JSON.stringify({
    bench: 'query-index', at: new Date().toISOString(), node: process.version, cpus: cpus().length,
    hot: { batches: BATCHES, batch: BATCH }, cold: { rounds: COLD_ROUNDS, queries: COLD, flushMb: FLUSH_MB }, figures,
    ratio: Object.fromEntries(kinds.map(([key]) => [key, Number(ratio(key).toFixed(4))])),
    sink: runs.reduce((a, r) => a + r.sink(), flushSink) > 0 ? 1 : 0,
  })}\n`);
});
