import { Counter, Gauge } from 'prom-client';
import type { EventStore, Projection, ReadModel, StoredEvent } from '@cp/event-store';

/** One read model of a service, as READ_MODELS lists them. */
export interface WatchedModel {
  name: string;
  projection: Projection;
}

export interface ModelLag {
  model: string;
  /** What the model has applied (a log position), null for nothing yet. */
  position: bigint | null;
  /** Every event of the model's streams up to the head is applied. */
  caughtUp: boolean;
  /** Log positions between the head and how far the model has seen the log; 0 when caught up. */
  lagPositions: number;
  /** The first event of its context's log the model has not seen yet (when behind). */
  pending: bigint | null;
}

export interface LagReport {
  context: string;
  head: bigint | null;
  models: ModelLag[];
}

/**
 * How far behind the log head a model is, from what is known: the head, how far the model has seen
 * the log (`seen`: every event of its context up to there applied when it is the model's), and the
 * first event of its context after that (null: none up to the head). A model that has seen the last
 * event of its context is caught up even when the head is further on (other contexts' events share
 * the log's positions on JetStream).
 */
export function lagOf(head: bigint | null, seen: bigint | null, nextOfItsContext: bigint | null): { caughtUp: boolean; lagPositions: number } {
  if (head === null || nextOfItsContext === null || nextOfItsContext > head) return { caughtUp: true, lagPositions: 0 };
  return { caughtUp: false, lagPositions: Number(head - (seen ?? 0n)) };
}

/**
 * The furthest position up to which the projection has seen the log (applied its own events, passed
 * the others'), below `head`, which it has not reached: found with `waitFor(p, 0)`, which answers at
 * once whether p is reached, by bisection (at most 64 steps, no I/O). null: nothing seen yet.
 */
export async function seenUpTo(projection: Pick<Projection, 'position' | 'waitFor'>, head: bigint): Promise<bigint | null> {
  let lo = projection.position ?? -1n;
  let hi = head;
  while (hi - lo > 1n) {
    const mid = lo + (hi - lo) / 2n;
    if (await projection.waitFor(mid, 0)) lo = mid;
    else hi = mid;
  }
  return lo < 0n ? null : lo;
}

/** How long a lag report is reused (a scrape and a readiness probe at once cost one look). */
const REPORT_TTL_MS = 1000;

/**
 * The read models of one service against the head of its log: the lag gauges at each scrape and
 * the readiness check ("caught up within a bound"). Cost of a look: the store's head, plus, for a
 * model that has not seen the head itself, one read of at most one event of its context after what
 * it has seen (filtered by the server: the context's subjects on JetStream, its stream prefix on
 * EventStoreDB), never a scan.
 */
export class ReadModelWatch {
  private last: { at: number; report: Promise<LagReport> } | null = null;

  constructor(readonly context: string, private readonly store: EventStore, readonly models: readonly WatchedModel[]) {}

  report(): Promise<LagReport> {
    const now = Date.now();
    if (this.last && now - this.last.at < REPORT_TTL_MS) return this.last.report;
    const report = this.look();
    this.last = { at: now, report };
    report.catch(() => (this.last = null));
    return report;
  }

  private async look(): Promise<LagReport> {
    const head = await this.store.headPosition();
    const models = await Promise.all(this.models.map((m) => this.lagOfModel(m, head)));
    return { context: this.context, head, models };
  }

  private async lagOfModel({ name, projection }: WatchedModel, head: bigint | null): Promise<ModelLag> {
    const position = projection.position;
    if (head === null || (await projection.waitFor(head, 0))) return { model: name, position, caughtUp: true, lagPositions: 0, pending: null };
    const seen = await seenUpTo(projection, head);
    const [next]: StoredEvent[] = await this.store.readAll(seen, { limit: 1 });
    const lag = lagOf(head, seen, next?.position ?? null);
    return { model: name, position, ...lag, pending: lag.caughtUp ? null : next.position };
  }

  /**
   * The models not caught up with the log head (as it is now) within `boundMs`, each with the
   * reason; empty when all are. A model behind is waited for, event by event of its streams, until
   * the bound.
   */
  async behind(boundMs: number): Promise<string[]> {
    const deadline = Date.now() + boundMs;
    const head = await this.store.headPosition();
    const reasons: string[] = [];
    await Promise.all(this.models.map(async (model) => {
      for (;;) {
        const lag = await this.lagOfModel(model, head);
        if (lag.caughtUp) return;
        const remaining = deadline - Date.now();
        if (remaining <= 0 || !(await model.projection.waitFor(lag.pending!, remaining))) {
          reasons.push(`read model ${model.name} is ${lag.lagPositions} log position(s) behind the head (${String(head)}) after ${boundMs} ms`);
          return;
        }
      }
    }));
    return reasons;
  }
}

// --- Gauges -----------------------------------------------------------------------------------------

const watches = new Set<ReadModelWatch>();

/** The lag gauges report these watches at each scrape; the returned function stops it. */
export function watchReadModels(watch: ReadModelWatch): () => void {
  watches.add(watch);
  return () => watches.delete(watch);
}

/** Every watch's report; a store that does not answer within the bound leaves its models out of this scrape. */
async function reports(): Promise<LagReport[]> {
  const settled = await Promise.allSettled([...watches].map((w) => withTimeout(w.report(), 3000)));
  return settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise, new Promise<T>((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms); })])
    .finally(() => clearTimeout(timer));
}

const num = (p: bigint | null) => (p === null ? 0 : Number(p));

new Gauge({
  name: 'cp_read_model_lag_positions', help: 'Log positions between the head of the log and what the read model has applied (0: caught up)',
  labelNames: ['model'] as const,
  async collect() {
    this.reset();
    for (const r of await reports()) for (const m of r.models) this.set({ model: m.model }, m.lagPositions);
  },
});
new Gauge({
  name: 'cp_read_model_caught_up', help: '1 when every event of the read model\'s streams up to the log head is applied, else 0',
  labelNames: ['model'] as const,
  async collect() {
    this.reset();
    for (const r of await reports()) for (const m of r.models) this.set({ model: m.model }, m.caughtUp ? 1 : 0);
  },
});
new Gauge({
  name: 'cp_read_model_position', help: 'The log position the read model has applied', labelNames: ['model'] as const,
  async collect() {
    this.reset();
    for (const r of await reports()) for (const m of r.models) this.set({ model: m.model }, num(m.position));
  },
});
new Gauge({
  name: 'cp_event_log_head_position', help: 'The position of the last commit in the log, as the context\'s event store reports it', labelNames: ['context'] as const,
  async collect() {
    this.reset();
    for (const r of await reports()) this.set({ context: r.context }, num(r.head));
  },
});

// --- Rebuilds ---------------------------------------------------------------------------------------

const rebuildProgress = new Gauge({
  name: 'cp_read_model_rebuild_progress_ratio',
  help: 'Progress of the running (or last) live rebuild of a read model: its replayed position over the live model\'s (1: swapped in)',
  labelNames: ['model'] as const,
});
const rebuildEvents = new Gauge({
  name: 'cp_read_model_rebuild_events', help: 'Events replayed by the running (or last) live rebuild of a read model', labelNames: ['model'] as const,
});
const rebuilds = new Counter({
  name: 'cp_read_model_rebuilds_total', help: 'Live rebuilds of read models by outcome (done, failed)', labelNames: ['model', 'outcome'] as const,
});

/**
 * A live rebuild (Projection.rebuild) with its progress in the rebuild gauges: `fresh` is watched
 * through a Proxy that counts what it applies (its own properties, which the rebuild copies onto the
 * live model, stay its own), against the live model's position (`target`), which the rebuild ends at.
 */
export async function meteredRebuild(
  model: string, fresh: ReadModel, rebuild: (fresh: ReadModel) => Promise<number>, target: () => bigint | null,
): Promise<number> {
  let events = 0;
  rebuildProgress.set({ model }, 0);
  rebuildEvents.set({ model }, 0);
  const apply = (event: StoredEvent) => {
    fresh.apply(event);
    events++;
    const goal = target();
    if (events % 100 === 0 || goal === event.position) {
      rebuildEvents.set({ model }, events);
      if (goal !== null && goal > 0n) rebuildProgress.set({ model }, Math.min(1, Number(event.position) / Number(goal)));
    }
  };
  const watched = new Proxy(fresh, { get: (t, prop) => (prop === 'apply' && !Object.hasOwn(t, 'apply') ? apply : Reflect.get(t, prop, t) as unknown) });
  try {
    const replayed = await rebuild(watched);
    rebuildEvents.set({ model }, replayed);
    rebuildProgress.set({ model }, 1);
    rebuilds.inc({ model, outcome: 'done' });
    return replayed;
  } catch (error) {
    rebuilds.inc({ model, outcome: 'failed' });
    throw error;
  }
}
