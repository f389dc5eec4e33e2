import { register } from 'prom-client';

/**
 * A counter and a histogram for the series observed on every request (HTTP at the gateway, the bus
 * in the services). prom-client's labelled metrics build a label object, validate it and hash it
 * into a string on every call: 0.8 µs for a counter and a histogram together, in each process a
 * request passes (docs/decisions.md). These take the label values in order, find their series
 * through one map per label (0.06 µs), and leave the cumulative buckets to the scrape. They sit in
 * prom-client's registry beside its own metrics and come out of the same `/metrics` text, in the
 * same format.
 */

interface Value {
  value: number;
  labels: Record<string, string | number>;
  metricName?: string;
}

interface Reading {
  name: string;
  help: string;
  type: 'counter' | 'histogram';
  values: Value[];
  aggregator: 'sum';
}

interface Config<L extends readonly string[]> {
  name: string;
  help: string;
  labelNames: L;
}

/** The label values of one series, in the order of `labelNames`. */
type LabelValues<L extends readonly string[]> = { [K in keyof L]: string };

function labelsOf(names: readonly string[], values: readonly string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  names.forEach((name, i) => {
    labels[name] = values[i];
  });
  return labels;
}

abstract class RequestSeries<L extends readonly string[], S> {
  readonly name: string;
  readonly help: string;
  readonly labelNames: L;
  /** Every series, in the order they appeared. */
  protected series: Array<{ labels: Record<string, string>; state: S }> = [];
  /** The series by their label values, one map level per label (no key string to build per call). */
  private byValues = new Map<string, unknown>();

  constructor(config: Config<L>) {
    this.name = config.name;
    this.help = config.help;
    this.labelNames = config.labelNames;
    register.registerMetric(this as never);
  }

  protected stateOf(values: LabelValues<L>): S {
    let level = this.byValues;
    const last = values.length - 1;
    for (let i = 0; i < last; i++) {
      let next = level.get(values[i]) as Map<string, unknown> | undefined;
      if (next === undefined) level.set(values[i], (next = new Map()));
      level = next;
    }
    let state = level.get(values[last]) as S | undefined;
    if (state === undefined) {
      level.set(values[last], (state = this.fresh()));
      this.series.push({ labels: labelsOf(this.labelNames, values), state });
    }
    return state;
  }

  protected abstract fresh(): S;

  /** prom-client's registry reads this at every scrape. */
  abstract get(): Promise<Reading>;

  /** The registry's resetMetrics(). */
  reset(): void {
    this.series = [];
    this.byValues = new Map();
  }
}

export class RequestCounter<L extends readonly string[]> extends RequestSeries<L, { value: number }> {
  inc(...values: LabelValues<L>): void {
    this.stateOf(values).value += 1;
  }

  protected fresh(): { value: number } {
    return { value: 0 };
  }

  async get(): Promise<Reading> {
    const values = this.series.map(({ labels, state }) => ({ value: state.value, labels }));
    return { name: this.name, help: this.help, type: 'counter', values, aggregator: 'sum' };
  }
}

interface Buckets {
  /** Observations per bucket (not cumulative): counts[i] for bounds[i], the last for +Inf. */
  counts: number[];
  sum: number;
  count: number;
}

export class RequestHistogram<L extends readonly string[]> extends RequestSeries<L, Buckets> {
  private readonly bounds: readonly number[];

  constructor(config: Config<L> & { buckets: readonly number[] }) {
    super(config);
    this.bounds = [...config.buckets].sort((a, b) => a - b);
  }

  /** One observation of `value` (seconds), after the label values. */
  observe(value: number, ...values: LabelValues<L>): void {
    if (!Number.isFinite(value)) return;
    const state = this.stateOf(values);
    let i = 0;
    while (i < this.bounds.length && value > this.bounds[i]) i++;
    state.counts[i] += 1;
    state.sum += value;
    state.count += 1;
  }

  protected fresh(): Buckets {
    return { counts: new Array<number>(this.bounds.length + 1).fill(0), sum: 0, count: 0 };
  }

  async get(): Promise<Reading> {
    const values: Value[] = [];
    const bucket = `${this.name}_bucket`;
    for (const { labels, state } of this.series) {
      let cumulative = 0;
      this.bounds.forEach((le, i) => {
        cumulative += state.counts[i];
        values.push({ value: cumulative, labels: { ...labels, le }, metricName: bucket });
      });
      values.push({ value: state.count, labels: { ...labels, le: '+Inf' }, metricName: bucket });
      values.push({ value: state.sum, labels, metricName: `${this.name}_sum` });
      values.push({ value: state.count, labels, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: 'histogram', values, aggregator: 'sum' };
  }
}
