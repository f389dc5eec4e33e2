import { randomUUID } from 'node:crypto';
import { InMemoryEventStore, Projection, WrongExpectedVersionError, type AppendOptions, type ReadModel, type StoredEvent } from '@cp/event-store';
import { countingConflicts, meteredEventStore, storeOutcome } from './metered-event-store';
import {
  metricsRegistry, metricsText, observeBus, observeCommand, observeConflicts, observeHttp, observeLoginFailure, observePlatformProbe, statusClass,
  watchPlatforms,
} from './metrics';
import { readiness, readinessOf } from './probes-http';
import { ReadModelWatch, lagOf, meteredRebuild, seenUpTo, watchReadModels } from './read-model-lag';

/** The value of one series in the registry (0 when absent). */
async function valueOf(name: string, labels: Record<string, string>): Promise<number> {
  const base = name.replace(/_(count|sum|bucket)$/, '');
  const metric = metricsRegistry.getSingleMetric(base);
  if (!metric) throw new Error(`no metric ${base}`);
  const { values } = await metric.get();
  const match = values.find((v) => ((v as { metricName?: string }).metricName ?? base) === name && Object.entries(labels).every(([k, want]) => String((v.labels as Record<string, unknown>)[k]) === want));
  return match?.value ?? 0;
}

const options = (): AppendOptions => ({
  commitId: randomUUID(),
  metadata: {
    commandId: randomUUID(), correlationId: randomUUID(), causationId: randomUUID(),
    actor: { accountUuid: null, via: 'system' }, occurredAt: new Date().toISOString(),
  },
});

class Seen implements ReadModel {
  applied: string[] = [];
  constructor(readonly filter: { categories: string[] }) {}
  apply(event: StoredEvent): void {
    this.applied.push(event.type);
  }
}

describe('metrics', () => {
  it('counts HTTP requests by API and status, timed by status class', async () => {
    const before = await valueOf('cp_http_requests_total', { api: 'QueryAccount', status: '200' });
    observeHttp('QueryAccount', 200, 0.012);
    observeHttp('QueryAccount', 503, 0.5);
    expect(await valueOf('cp_http_requests_total', { api: 'QueryAccount', status: '200' })).toBe(before + 1);
    expect(await valueOf('cp_http_request_duration_seconds_count', { api: 'QueryAccount', status_class: '5xx' })).toBeGreaterThanOrEqual(1);
    expect([statusClass(200), statusClass(404), statusClass(503)]).toEqual(['2xx', '4xx', '5xx']);
  });

  it('labels bus requests by subject and outcome: ok, the error code, or "unknown" for anything that is not a code', async () => {
    observeBus('identity.query.T', { ok: true }, 0.001);
    observeBus('identity.query.T', { ok: false, error: { code: 'ID.1001' } }, 0.002);
    observeBus('identity.query.T', { ok: false, error: { code: 'a user-controlled text' } }, 0.003);
    expect(await valueOf('cp_bus_requests_total', { subject: 'identity.query.T', outcome: 'ok' })).toBe(1);
    expect(await valueOf('cp_bus_requests_total', { subject: 'identity.query.T', outcome: 'ID.1001' })).toBe(1);
    expect(await valueOf('cp_bus_requests_total', { subject: 'identity.query.T', outcome: 'unknown' })).toBe(1);
    expect(await valueOf('cp_bus_request_duration_seconds_count', { subject: 'identity.query.T', outcome: 'error' })).toBe(2);
  });

  it('counts commands done, refused by code, and of unknown outcome; conflicts retried and exhausted', async () => {
    observeCommand('t1', { ok: true }, false);
    observeCommand('t1', { ok: false, error: { code: 'SYS.1007' } }, false);
    observeCommand('t1', { ok: false, error: { code: 'SYS.1001' } }, true);
    expect(await valueOf('cp_commands_total', { context: 't1', outcome: 'done' })).toBe(1);
    expect(await valueOf('cp_commands_total', { context: 't1', outcome: 'refused', code: 'SYS.1007' })).toBe(1);
    expect(await valueOf('cp_commands_total', { context: 't1', outcome: 'unknown', code: 'SYS.1001' })).toBe(1);
    observeConflicts('t1agg', 2, false);
    observeConflicts('t1agg', 3, true);
    observeConflicts('t1agg', 0, false);
    expect(await valueOf('cp_command_conflicts_total', { aggregate: 't1agg', result: 'retried' })).toBe(4);
    expect(await valueOf('cp_command_conflicts_total', { aggregate: 't1agg', result: 'exhausted' })).toBe(1);
  });

  it('keeps login failure reasons to a bounded set', async () => {
    observeLoginFailure('account', 'wrong_credentials');
    observeLoginFailure('account', 'Some State!');
    expect(await valueOf('cp_login_failures_total', { kind: 'account', reason: 'wrong_credentials' })).toBe(1);
    expect(await valueOf('cp_login_failures_total', { kind: 'account', reason: 'other' })).toBe(1);
  });

  it('counts platform probes by result, and platforms by health from the watched model at each scrape', async () => {
    observePlatformProbe(true, 120);
    observePlatformProbe(false);
    expect(await valueOf('cp_platform_probes_total', { result: 'success' })).toBe(1);
    expect(await valueOf('cp_platform_probes_total', { result: 'failure' })).toBe(1);
    expect(await valueOf('cp_platform_probe_duration_seconds_count', {})).toBe(1);
    const platforms = [{ healthStatus: 'healthy' }, { healthStatus: 'healthy' }, { healthStatus: 'unhealthy' }];
    const stop = watchPlatforms(() => platforms);
    try {
      expect([await valueOf('cp_platforms', { health: 'healthy' }), await valueOf('cp_platforms', { health: 'degraded' }), await valueOf('cp_platforms', { health: 'unhealthy' })])
        .toEqual([2, 0, 1]);
    } finally {
      stop();
    }
    expect((await metricsRegistry.getSingleMetric('cp_platforms')!.get()).values).toEqual([]);
  });

  it('exposes everything as Prometheus text', async () => {
    const { contentType, text } = await metricsText();
    expect(contentType).toMatch(/^text\/plain/);
    expect(text).toContain('# TYPE cp_http_requests_total counter');
    expect(text).toContain('# TYPE cp_event_store_operation_duration_seconds histogram');
  });
});

describe('the metered event store', () => {
  it('times appends and reads by outcome, and leaves the port\'s optional members as they are', async () => {
    const inner = new InMemoryEventStore({ context: 'meter' });
    const store = meteredEventStore(inner, 'meter');
    expect(typeof store.storeIdentity).toBe('function');
    expect(await store.storeIdentity!()).toBe(await inner.storeIdentity());
    expect('firstPositionAtOrAfter' in store).toBe('firstPositionAtOrAfter' in inner);
    await store.append('account-1', [{ type: 'A', data: {} }], 'noStream', options());
    await expect(store.append('account-1', [{ type: 'A', data: {} }], 'noStream', options())).rejects.toBeInstanceOf(WrongExpectedVersionError);
    expect((await store.readStream('account-1')).events).toHaveLength(1);
    expect(await valueOf('cp_event_store_operation_duration_seconds_count', { context: 'meter', op: 'append', outcome: 'ok' })).toBe(1);
    expect(await valueOf('cp_event_store_operation_duration_seconds_count', { context: 'meter', op: 'append', outcome: 'conflict' })).toBe(1);
    expect(await valueOf('cp_event_store_operation_duration_seconds_count', { context: 'meter', op: 'readStream', outcome: 'ok' })).toBe(1);
    expect([storeOutcome(new WrongExpectedVersionError('s', 'noStream', 1n)), storeOutcome(new Error('x'))]).toEqual(['conflict', 'error']);
  });

  it('counts the conflicts one command meets', async () => {
    const { store, conflicts } = countingConflicts(new InMemoryEventStore({ context: 'count' }));
    await store.append('account-1', [{ type: 'A', data: {} }], 'noStream', options());
    await store.append('account-1', [{ type: 'A', data: {} }], 'noStream', options()).catch(() => undefined);
    await store.append('account-1', [{ type: 'A', data: {} }], 5n, options()).catch(() => undefined);
    expect(conflicts()).toBe(2);
  });
});

describe('read-model lag', () => {
  it('lagOf: caught up when nothing of the model\'s context is after what it has seen, up to the head', () => {
    expect(lagOf(null, null, null)).toEqual({ caughtUp: true, lagPositions: 0 });
    expect(lagOf(10n, 4n, null)).toEqual({ caughtUp: true, lagPositions: 0 });
    expect(lagOf(10n, 4n, 11n)).toEqual({ caughtUp: true, lagPositions: 0 });
    expect(lagOf(10n, 4n, 7n)).toEqual({ caughtUp: false, lagPositions: 6 });
    expect(lagOf(10n, null, 1n)).toEqual({ caughtUp: false, lagPositions: 10 });
  });

  it('reports each model against the head, in the gauges too; a model that cannot catch up within the bound is named', async () => {
    const store = new InMemoryEventStore({ context: 'lag' });
    await store.append('account-1', [{ type: 'A', data: {} }], 'noStream', options());
    const accounts = new Projection(store, new Seen({ categories: ['account'] }));
    const keys = new Projection(store, new Seen({ categories: ['accesskey'] }));
    await accounts.start();
    await keys.start();
    await store.append('accesskey-1', [{ type: 'K', data: {} }], 'noStream', options());
    await keys.waitFor((await store.headPosition())!, 1000);
    const watch = new ReadModelWatch('lag', store, [{ name: 'lag.accounts', projection: accounts }, { name: 'lag.keys', projection: keys }]);
    const stop = watchReadModels(watch);
    try {
      const report = await watch.report();
      expect(report.head).toBe(2n);
      expect(report.models.map((m) => [m.model, m.caughtUp, m.lagPositions])).toEqual([['lag.accounts', true, 0], ['lag.keys', true, 0]]);
      expect(await watch.behind(100)).toEqual([]);
      expect(await valueOf('cp_read_model_lag_positions', { model: 'lag.keys' })).toBe(0);
      expect(await valueOf('cp_read_model_caught_up', { model: 'lag.accounts' })).toBe(1);
      expect(await valueOf('cp_event_log_head_position', { context: 'lag' })).toBe(2);

      // A projection that stopped following the log falls behind: named, with its lag.
      await accounts.stop();
      await store.append('account-2', [{ type: 'A', data: {} }], 'noStream', options());
      const fresh = new ReadModelWatch('lag', store, [{ name: 'lag.accounts', projection: accounts }]);
      // It had seen position 2 (the access key, another model's) before it stopped.
      expect(await seenUpTo(accounts, 3n)).toBe(2n);
      expect((await fresh.report()).models[0]).toMatchObject({ position: 1n, caughtUp: false, lagPositions: 1, pending: 3n });
      expect(await fresh.behind(50)).toEqual([expect.stringMatching(/^read model lag\.accounts is 1 log position\(s\) behind the head \(3\)/)]);
    } finally {
      stop();
      await keys.stop();
      await accounts.stop();
    }
  });

  it('meteredRebuild: the rebuild runs on the watched model, which only counts; progress ends at 1', async () => {
    const store = new InMemoryEventStore({ context: 'rebuild' });
    for (let i = 0; i < 3; i++) await store.append(`account-${i}`, [{ type: 'A', data: {} }], 'noStream', options());
    const live = new Seen({ categories: ['account'] });
    const projection = new Projection(store, live);
    await projection.start();
    const replayed = await meteredRebuild('rebuild.accounts', new Seen({ categories: ['account'] }), (m) => projection.rebuild(m), () => projection.position);
    await projection.stop();
    expect(replayed).toBe(3);
    expect(live.applied).toEqual(['A', 'A', 'A']);
    // The live model's own apply is untouched by the watch.
    expect(Object.hasOwn(live, 'apply')).toBe(false);
    expect(await valueOf('cp_read_model_rebuild_progress_ratio', { model: 'rebuild.accounts' })).toBe(1);
    expect(await valueOf('cp_read_model_rebuilds_total', { model: 'rebuild.accounts', outcome: 'done' })).toBe(1);
  });
});

describe('readiness', () => {
  it('is ready when every check passes, else lists the reasons in order', () => {
    expect(readinessOf([['nats', null], ['store', null]])).toEqual({ status: 'ready', checks: { nats: 'ok', store: 'ok' }, reasons: [] });
    expect(readinessOf([['nats', 'down'], ['store', null], ['models', 'behind']]))
      .toEqual({ status: 'not ready', checks: { nats: 'down', store: 'ok', models: 'behind' }, reasons: ['down', 'behind'] });
  });

  it('turns a check that throws or does not answer in time into its reason', async () => {
    const report = await readiness([
      { name: 'a', check: () => Promise.reject(new Error('boom')) },
      { name: 'b', check: () => new Promise(() => undefined) },
      { name: 'c', check: () => Promise.resolve(null) },
    ], 20);
    expect(report).toEqual({ status: 'not ready', checks: { a: 'a: boom', b: 'b: no answer within 20 ms', c: 'ok' }, reasons: ['a: boom', 'b: no answer within 20 ms'] });
  });
});
