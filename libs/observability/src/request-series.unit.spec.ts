import { Counter, Histogram, Registry, register } from 'prom-client';
import { RequestCounter, RequestHistogram } from './request-series';

/** The sample lines of an exposition text, each with its labels sorted (prom-client and ours order them differently). */
function samples(text: string): string[] {
  return text.split('\n').filter((line) => line !== '' && !line.startsWith('#')).map((line) => {
    const match = /^([^{ ]+)(?:\{(.*)\})? (.+)$/.exec(line)!;
    const labels = (match[2] ?? '').split(/,(?=[a-z_]+=")/).filter(Boolean).sort().join(',');
    return `${match[1]}{${labels}} ${match[3]}`;
  }).sort();
}

describe('request series (the lean counter and histogram of every request)', () => {
  const BUCKETS = [0.001, 0.01, 0.1, 1];
  const observations: Array<[number, string, string]> = [
    [0.0004, 'QueryAccount', '2xx'], [0.001, 'QueryAccount', '2xx'], [0.05, 'QueryAccount', '2xx'],
    [3, 'QueryAccount', '2xx'], [0.2, 'UpdateAccount', '5xx'], [0.0099, 'UpdateAccount', '5xx'],
  ];

  it('come out of /metrics as prom-client\'s own metrics would, cumulative buckets, +Inf, sum and count', async () => {
    const counter = new RequestCounter({ name: 'cp_test_series_total', help: 'test counter', labelNames: ['api', 'status'] as const });
    const histogram = new RequestHistogram({ name: 'cp_test_series_seconds', help: 'test histogram', labelNames: ['api', 'status_class'] as const, buckets: BUCKETS });
    const reference = new Registry();
    const theirCounter = new Counter({ name: 'cp_test_series_total', help: 'test counter', labelNames: ['api', 'status'], registers: [reference] });
    const theirHistogram = new Histogram({ name: 'cp_test_series_seconds', help: 'test histogram', labelNames: ['api', 'status_class'], buckets: BUCKETS, registers: [reference] });
    try {
      for (const [seconds, api, statusClass] of observations) {
        const status = statusClass === '2xx' ? '200' : '503';
        counter.inc(api, status);
        histogram.observe(seconds, api, statusClass);
        theirCounter.inc({ api, status });
        theirHistogram.observe({ api, status_class: statusClass }, seconds);
      }
      const ours = await register.metrics();
      const theirs = await reference.metrics();
      const mine = samples(ours).filter((line) => line.startsWith('cp_test_series'));
      expect(mine).toEqual(samples(theirs));
      expect(mine).toContain('cp_test_series_seconds_bucket{api="QueryAccount",le="0.001",status_class="2xx"} 2');
      expect(mine).toContain('cp_test_series_seconds_bucket{api="QueryAccount",le="+Inf",status_class="2xx"} 4');
      expect(mine).toContain('cp_test_series_total{api="UpdateAccount",status="503"} 2');
      expect(ours).toContain('# TYPE cp_test_series_seconds histogram');
      expect(ours).toContain('# TYPE cp_test_series_total counter');
    } finally {
      register.removeSingleMetric('cp_test_series_total');
      register.removeSingleMetric('cp_test_series_seconds');
    }
  });
});
