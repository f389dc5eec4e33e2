import { DEFAULT_QUERY_TIME_LIMIT_MS } from '@cp/query';
import { ConfigError, appConfig, serviceConfig } from './index';

describe('serviceConfig', () => {
  it('has the documented defaults', () => {
    expect(serviceConfig({})).toEqual({
      natsUrl: 'nats://127.0.0.1:4222',
      jobTtlMs: 10_800_000,
      eventStore: { kind: 'jetstream', esdbConnectionString: undefined, checkpointIntervalMs: 30_000 },
      readYourWritesTimeoutMs: 5000,
      queryTimeLimitMs: DEFAULT_QUERY_TIME_LIMIT_MS,
      authTimeoutMs: 5000,
      metricsPort: null,
    });
  });

  it('reads each key from its variable', () => {
    const config = serviceConfig({
      NATS_URL: 'nats://10.0.0.1:4333', JOB_TTL_SEC: '60', EVENT_STORE: 'esdb', ESDB_CONNECTION_STRING: 'esdb://x:2113', CHECKPOINT_INTERVAL_SEC: '0',
      READ_YOUR_WRITES_TIMEOUT_MS: '0', QUERY_TIME_LIMIT_MS: '250', AUTH_TIMEOUT_MS: '100', METRICS_PORT: '9100',
    });
    expect(config).toEqual({
      natsUrl: 'nats://10.0.0.1:4333',
      jobTtlMs: 60_000,
      eventStore: { kind: 'esdb', esdbConnectionString: 'esdb://x:2113', checkpointIntervalMs: null },
      readYourWritesTimeoutMs: 0,
      queryTimeLimitMs: 250,
      authTimeoutMs: 100,
      metricsPort: 9100,
    });
  });

  it.each([
    ['JOB_TTL_SEC', '0'], ['JOB_TTL_SEC', String(30 * 86_400 + 1)],
    ['READ_YOUR_WRITES_TIMEOUT_MS', '-1'], ['READ_YOUR_WRITES_TIMEOUT_MS', '60001'],
    ['QUERY_TIME_LIMIT_MS', '0'], ['QUERY_TIME_LIMIT_MS', '600001'],
    ['AUTH_TIMEOUT_MS', '99'], ['AUTH_TIMEOUT_MS', '60001'],
    ['AUTH_TIMEOUT_MS', 'soon'], ['METRICS_PORT', '65536'], ['METRICS_PORT', '-1'], ['METRICS_PORT', 'http'],
  ])('refuses %s=%s', (name, value) => {
    expect(() => serviceConfig({ [name]: value })).toThrow(ConfigError);
  });
});

describe('appConfig', () => {
  it('is what the gateway shares with the services', () => {
    expect(appConfig({})).toEqual({ natsUrl: 'nats://127.0.0.1:4222', jobTtlMs: 10_800_000 });
    const env = { NATS_URL: 'nats://h:1', JOB_TTL_SEC: '5', AUTH_TIMEOUT_MS: 'not read here' };
    expect(appConfig(env)).toEqual({ natsUrl: 'nats://h:1', jobTtlMs: 5000 });
    const { natsUrl, jobTtlMs } = serviceConfig({ NATS_URL: 'nats://h:1', JOB_TTL_SEC: '5' });
    expect({ natsUrl, jobTtlMs }).toEqual(appConfig(env));
  });
});
