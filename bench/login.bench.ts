import autocannon from 'autocannon';
import { ADMIN_INITIAL_PASSWORD_SHA512 } from '@cp/contracts';
import { Child, cleanEnv, runBench, say, table, timeScrypt, waitHealthy } from './support';
import { freePort } from '@cp/testing';

/**
 * LogInByAccount logins/s at 16 connections on the default password hash (scrypt ln=15, r=8, p=1):
 * the slow hash is the cost by design, so this reports it next to the figure. Every login also
 * writes its session (NATS KV) and an audit event (JetStream).
 *
 *   npm run bench:login
 */
const TAG = 'login-bench';
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);

runBench(TAG, 5 * 60_000, async (cleanup) => {
  const nats = await cleanup.natsServer();
  const port = await freePort();
  const env = cleanEnv({ NATS_URL: nats.url, PORT: String(port), HOST: '127.0.0.1', SESSION_MAX_CONCURRENT: '1000000' });
  const identity = cleanup.child(Child.spawn('identity-svc', 'apps/identity-svc/src/main.ts', env));
  const gateway = cleanup.child(Child.spawn('gateway', 'apps/gateway/src/main.ts', env));
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitHealthy(`${baseUrl}/health`, 120_000, [identity, gateway]);

  const hash = await timeScrypt(15, 8, 1);
  say(TAG, `LogInByAccount: ${CONNECTIONS} connections, 2 s warm-up + ${DURATION_S} s`);
  const result = await autocannon({
    url: `${baseUrl}/zstack/v1/accounts/login`,
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ logInByAccount: { accountName: 'admin', password: ADMIN_INITIAL_PASSWORD_SHA512 } }),
    connections: CONNECTIONS,
    duration: DURATION_S,
    timeout: 30,
    warmup: { connections: CONNECTIONS, duration: 2 },
  });
  const ok = result.statusCodeStats['200']?.count ?? 0;
  process.stdout.write(`\n${table([
    ['measurement', 'conns', 'secs', 'logins 200', 'logins/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors'],
    ['LogInByAccount', CONNECTIONS, result.duration.toFixed(2), ok, (ok / result.duration).toFixed(1), result.latency.p50, result.latency.p99, result.non2xx, result.errors],
  ])}\n`);
  process.stdout.write(`password hash: scrypt log2N=15 (32 MiB), r=8, p=1; one hash ${hash.meanMs.toFixed(1)} ms (mean of 5) → 2 cores verify at most ~${(2000 / hash.meanMs).toFixed(1)}/s\n`);
  process.stdout.write(`${JSON.stringify({ loginsPerSec: ok / result.duration, p99: result.latency.p99, hashMs: hash.meanMs, connections: CONNECTIONS })}\n`);
});
