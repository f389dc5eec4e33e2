import { Counter, Gauge, Histogram, collectDefaultMetrics, register } from 'prom-client';
import { RequestCounter, RequestHistogram } from './request-series';

/**
 * The Prometheus metrics of every app, in prom-client's default registry: one process is one app
 * (the tests run several in one process: they then share it). Names start with `cp_`; labels are
 * small, bounded sets (API names and subjects from the registry, error codes, outcomes), never ids.
 * docs/observability.md lists them all.
 */
export const metricsRegistry = register;

/** Seconds, from a millisecond up to a minute (HTTP, bus, store and job store latencies). */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

let processMetrics = false;

/** Heap, event loop lag, GC, CPU, open handles (prom-client's default metrics, `process_*` and `nodejs_*`): once per process. */
export function initProcessMetrics(): void {
  if (processMetrics) return;
  processMetrics = true;
  collectDefaultMetrics({ register });
}

/** The exposition text and its content type (`GET /metrics`). */
export async function metricsText(): Promise<{ contentType: string; text: string }> {
  return { contentType: register.contentType, text: await register.metrics() };
}

const elapsedSeconds = (startedNs: bigint) => Number(process.hrtime.bigint() - startedNs) / 1e9;

// --- HTTP (the gateway) ----------------------------------------------------------------------------

// Observed on every request: the lean series of request-series.ts.
const httpRequests = new RequestCounter({
  name: 'cp_http_requests_total', help: 'HTTP requests answered by the gateway, by API name and status code', labelNames: ['api', 'status'] as const,
});
const httpDuration = new RequestHistogram({
  name: 'cp_http_request_duration_seconds', help: 'Time from request to response in the gateway, by API name and status class (2xx, 4xx, 5xx)',
  labelNames: ['api', 'status_class'] as const, buckets: LATENCY_BUCKETS,
});

export const statusClass = (status: number): string => `${Math.floor(status / 100)}xx`;

/** One HTTP request answered: `api` is the registry's API name or one of the gateway's fixed route names. */
export function observeHttp(api: string, status: number, seconds: number): void {
  httpRequests.inc(api, String(status));
  httpDuration.observe(seconds, api, statusClass(status));
}

// --- The bus (BusServer) ---------------------------------------------------------------------------

const busRequests = new RequestCounter({
  name: 'cp_bus_requests_total', help: 'Requests a service answered on the bus, by subject and outcome (ok, or the error code)',
  labelNames: ['subject', 'outcome'] as const,
});
const busDuration = new RequestHistogram({
  name: 'cp_bus_request_duration_seconds', help: 'Time a service took to answer a bus request, by subject and outcome (ok or error)',
  labelNames: ['subject', 'outcome'] as const, buckets: LATENCY_BUCKETS,
});

/** What a bus reply says, as far as metrics care. */
export interface ReplyOutcome {
  ok: boolean;
  error?: { code?: string };
}

/** One bus request answered, `seconds` after it arrived. */
export function observeBus(subject: string, reply: ReplyOutcome, seconds: number): void {
  busRequests.inc(subject, reply.ok ? 'ok' : codeOf(reply));
  busDuration.observe(seconds, subject, reply.ok ? 'ok' : 'error');
}

const codeOf = (reply: ReplyOutcome): string => {
  const code = reply.error?.code;
  // Error codes are a fixed list (SYS.1001, ID.1002...); anything else is one bucket, not a new series.
  return typeof code === 'string' && /^[A-Z]{2,8}\.\d{4}$/.test(code) ? code : 'unknown';
};

// --- Commands ---------------------------------------------------------------------------------------

const commands = new Counter({
  name: 'cp_commands_total',
  help: 'Commands a service ran, by context and outcome: done, refused (with the error code), unknown (the store did not answer: left to a retry)',
  labelNames: ['context', 'outcome', 'code'] as const,
});
const commandConflicts = new Counter({
  name: 'cp_command_conflicts_total',
  help: 'Version conflicts met by commands, by aggregate (stream category): retried (decided again from the store) or exhausted (gave up, SYS.1006)',
  labelNames: ['aggregate', 'result'] as const,
});

/** A command ran (not a repeat answered from its job record). */
export function observeCommand(context: string, reply: ReplyOutcome, outcomeUnknown: boolean): void {
  if (outcomeUnknown) commands.inc({ context, outcome: 'unknown', code: codeOf(reply) });
  else if (reply.ok) commands.inc({ context, outcome: 'done', code: 'none' });
  else commands.inc({ context, outcome: 'refused', code: codeOf(reply) });
}

/** The conflicts one command met: every one but an exhausting last was retried. */
export function observeConflicts(aggregate: string, conflicts: number, exhausted: boolean): void {
  const retried = exhausted ? conflicts - 1 : conflicts;
  if (retried > 0) commandConflicts.inc({ aggregate, result: 'retried' }, retried);
  if (exhausted) commandConflicts.inc({ aggregate, result: 'exhausted' });
}

// --- The event store --------------------------------------------------------------------------------

const storeDuration = new Histogram({
  name: 'cp_event_store_operation_duration_seconds',
  help: 'Event store calls by context, operation (append, readStream, readAll, headPosition) and outcome (ok, conflict, unavailable, error)',
  labelNames: ['context', 'op', 'outcome'] as const, buckets: LATENCY_BUCKETS,
});

export function observeStoreOperation(context: string, op: string, outcome: string, seconds: number): void {
  storeDuration.observe({ context, op, outcome }, seconds);
}

// --- The job store ----------------------------------------------------------------------------------

const jobOps = new Counter({
  name: 'cp_job_store_operations_total',
  help: 'Job store (NATS KV zstack-jobs) operations by kind (get, put, create, replace) and outcome (ok, missing, taken, error)',
  labelNames: ['op', 'outcome'] as const,
});
const jobOpDuration = new Histogram({
  name: 'cp_job_store_operation_duration_seconds', help: 'Job store operation latency by kind', labelNames: ['op'] as const, buckets: LATENCY_BUCKETS,
});

/** Runs and measures one job store operation; `outcomeOf` names a result (`missing`, `taken`), `ok` by default. */
export async function meterJobOperation<T>(op: string, run: () => Promise<T>, outcomeOf: (result: T) => string = () => 'ok'): Promise<T> {
  const started = process.hrtime.bigint();
  try {
    const result = await run();
    jobOps.inc({ op, outcome: outcomeOf(result) });
    return result;
  } catch (error) {
    jobOps.inc({ op, outcome: 'error' });
    throw error;
  } finally {
    jobOpDuration.observe({ op }, elapsedSeconds(started));
  }
}

// --- NATS connections -------------------------------------------------------------------------------

interface TrackedConnection {
  name: string;
  state: () => string;
}
const connections = new Set<TrackedConnection>();

new Gauge({
  name: 'cp_nats_connections', help: 'NATS connections of this process by connection name and state (connected, reconnecting, draining)',
  labelNames: ['name', 'state'] as const,
  collect() {
    this.reset();
    for (const c of connections) this.inc({ name: c.name, state: c.state() });
  },
});
const natsEvents = new Counter({
  name: 'cp_nats_connection_events_total', help: 'NATS connection status changes by connection name and event (disconnect, reconnect)',
  labelNames: ['name', 'event'] as const,
});

/** What trackNatsConnection needs of a nats.js connection (the real one fits). */
export interface StatusSource {
  status(): AsyncIterable<{ type: string }>;
  closed(): Promise<void | Error>;
}

/** Follows one connection: its state at each scrape (`state()`), and every disconnect and reconnect. */
export function trackNatsConnection(nc: StatusSource, name: string, state: () => string): void {
  const entry = { name, state };
  connections.add(entry);
  void nc.closed().finally(() => connections.delete(entry));
  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect' || status.type === 'reconnect') natsEvents.inc({ name, event: status.type });
    }
  })().catch(() => undefined);
}

// --- Logins (identity-svc) --------------------------------------------------------------------------

const loginFailures = new Counter({
  name: 'cp_login_failures_total',
  help: 'Failed logins by login kind (account, iam2) and reason (wrong_credentials, locked, disabled, or the principal\'s state)',
  labelNames: ['kind', 'reason'] as const,
});
const loginLockouts = new Counter({
  name: 'cp_login_lockouts_total', help: 'Login names locked after repeated failures (each lock started), by login kind', labelNames: ['kind'] as const,
});

export function observeLoginFailure(kind: string, reason: string): void {
  loginFailures.inc({ kind, reason: /^[a-z_]{1,32}$/.test(reason) ? reason : 'other' });
}

export function observeLoginLockout(kind: string): void {
  loginLockouts.inc({ kind });
}

// --- Platforms (platform-svc) -----------------------------------------------------------------------

const platformProbes = new Counter({
  name: 'cp_platform_probes_total', help: 'Health monitor probes of federated platforms by result (success, failure)', labelNames: ['result'] as const,
});
const platformProbeLatency = new Histogram({
  name: 'cp_platform_probe_duration_seconds', help: 'Latency of successful health monitor probes', buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
});
const platformSources = new Set<() => Iterable<{ healthStatus: string }>>();

new Gauge({
  name: 'cp_platforms', help: 'Federated platforms by health (healthy, degraded, unhealthy), from platform-svc\'s read model',
  labelNames: ['health'] as const,
  collect() {
    this.reset();
    // Replicas of one platform-svc in one process (tests) hold the same model: count one.
    const [first] = platformSources;
    if (!first) return;
    for (const health of ['healthy', 'degraded', 'unhealthy']) this.set({ health }, 0);
    for (const p of first()) this.inc({ health: p.healthStatus.toLowerCase() });
  },
});

export function observePlatformProbe(ok: boolean, latencyMs?: number): void {
  platformProbes.inc({ result: ok ? 'success' : 'failure' });
  if (ok && latencyMs !== undefined) platformProbeLatency.observe(latencyMs / 1000);
}

/** The platforms the `cp_platforms` gauge counts at each scrape; the returned function stops it. */
export function watchPlatforms(all: () => Iterable<{ healthStatus: string }>): () => void {
  platformSources.add(all);
  return () => platformSources.delete(all);
}
