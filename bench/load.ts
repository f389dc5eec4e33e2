import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

/**
 * The load generator of http.bench.ts, in a process of its own (as a client would be): reads one
 * JSON `LoadSpec` from the file LOAD_SPEC_FILE names (or from stdin without it), runs autocannon (warm-up, then the measured run), and prints one JSON
 * `LoadResult` line on stdout, after the lines `warmup-done` and `measure-done` that mark the
 * measured window (the warm-up is a separate autocannon run on the same connections count). Targets 127.0.0.1 only; bounded by the spec's duration and timeout.
 *
 *   echo '{"url":"http://127.0.0.1:8080","paths":["/health"],"connections":4,"durationS":2}' | node -r @swc-node/register bench/load.ts
 *
 * Every request is built by autocannon's `setupRequest`, the same way for a ceiling and for the
 * product, so the generator costs both the same: path k is `paths[k % paths.length]`; with `jobUuid`
 * every request gets a fresh `X-Job-UUID`; with `body: 'updateAccount'` a changing
 * `{"updateAccount":{"description":...}}`.
 */
export interface LoadSpec {
  url: string;
  method?: 'GET' | 'PUT' | 'POST';
  paths: string[];
  headers?: Record<string, string>;
  jobUuid?: boolean;
  body?: 'updateAccount';
  connections: number;
  durationS: number;
  warmupS?: number;
  /** Per-request timeout, seconds (autocannon's default is 10). */
  timeoutS?: number;
}

export interface LoadResult {
  durationS: number;
  codes: Record<string, number>;
  warmupCodes: Record<string, number>;
  responses: number;
  ok2xx: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  latency: { p50: number; p90: number; p99: number; max: number; mean: number };
  /** Requests the generator built (measured run and warm-up). */
  built: number;
}

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (c) => (text += c));
    process.stdin.on('end', () => resolve(text));
    process.stdin.on('error', reject);
  });
}

const hex32 = () => randomUUID().replace(/-/g, '');

async function main(): Promise<void> {
  const file = process.env.LOAD_SPEC_FILE;
  const spec = JSON.parse(file ? readFileSync(file, 'utf8') : await readStdin()) as LoadSpec;
  const host = new URL(spec.url).hostname;
  if (host !== '127.0.0.1' && host !== 'localhost') throw new Error(`load.ts targets 127.0.0.1 only, not ${host}`);
  if (!spec.paths?.length) throw new Error('load.ts: no paths');
  if (!(spec.durationS > 0 && spec.durationS <= 120)) throw new Error('load.ts: durationS must be in (0, 120]');
  const salt = randomBytes(3).toString('hex');
  let k = 0;
  const request: autocannon.Request = {
    method: spec.method ?? 'GET',
    setupRequest: (req) => {
      const i = k++;
      const headers = { ...spec.headers };
      if (spec.jobUuid) headers['X-Job-UUID'] = hex32();
      const out: autocannon.RequestParams & Record<string, unknown> = { ...req, path: spec.paths[i % spec.paths.length], headers };
      if (spec.body === 'updateAccount') out.body = JSON.stringify({ updateAccount: { description: `bench update ${salt} ${i}` } });
      return out;
    },
  };
  const warmupS = spec.warmupS ?? 0;
  const options: autocannon.Options = { url: spec.url, connections: spec.connections, timeout: spec.timeoutS ?? 10, requests: [request] };
  // The warm-up is a run of its own, so that the lines below mark the measured window for the caller.
  const warmup = warmupS > 0 ? await autocannon({ ...options, duration: warmupS }) : undefined;
  process.stdout.write('warmup-done\n');
  const result = await autocannon({ ...options, duration: spec.durationS });
  process.stdout.write('measure-done\n');
  const countsOf = (r: autocannon.Result | undefined) => Object.fromEntries(Object.entries(r?.statusCodeStats ?? {}).map(([code, s]) => [code, s.count]));
  const codes = countsOf(result);
  const out: LoadResult = {
    durationS: result.duration,
    codes,
    warmupCodes: countsOf(warmup),
    responses: Object.values(codes).reduce((a, b) => a + b, 0),
    ok2xx: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    latency: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max, mean: result.latency.mean },
    built: k,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`load.ts: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
