import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { connect, type NatsConnection } from 'nats';
import { parse } from 'yaml';
import { NatsServer, findNatsServer } from '@cp/testing';

/**
 * The container deployment as files: Dockerfile, .dockerignore, .gitignore, and both compose variants
 * as `docker-compose config` resolves them (docker-compose.yml: EventStoreDB; deploy/docker-compose.nats-cluster.yml:
 * the event store on a 3-node NATS cluster). No Docker engine is needed. Without docker-compose
 * (.ci/run installs it) the compose part is skipped with a printed reason, as the EventStoreDB
 * conformance run is without ESDB_CONNECTION_STRING.
 */
const ROOT = join(__dirname, '..');
const IMAGE = 'zstack-cp:local';
const APPS = ['gateway', 'identity-svc', 'baremetal-svc', 'platform-svc', 'audit-svc'];
/** EventStoreDB's settings validator refuses a larger EVENTSTORE_MAX_APPEND_SIZE (its 16 MiB chunk less 10,000 bytes). */
const ESDB_MAX_APPEND_SIZE = 16_767_216;
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

/** `docker-compose` (1.x, Debian's package), else Compose v2 (`docker compose`), else null. */
function composeCommand(): string[] | null {
  for (const command of [['docker-compose'], ['docker', 'compose']]) {
    const probe = spawnSync(command[0], [...command.slice(1), 'version'], { encoding: 'utf8' });
    if (probe.status === 0) return command;
  }
  return null;
}
const compose = composeCommand();

interface Service {
  image?: string;
  build?: unknown;
  restart?: string;
  healthcheck?: { test?: string[] | string; disable?: boolean };
  ports?: Array<string | { published?: string | number; target?: number }>;
  depends_on?: Record<string, { condition?: string }> | string[];
  deploy?: { replicas?: number };
  scale?: number;
  environment?: Record<string, string | null>;
  secrets?: Array<string | { source: string; target?: string }>;
  profiles?: string[];
  volumes?: Array<string | { source?: string; target?: string; read_only?: boolean }>;
}
interface ComposeFile {
  services: Record<string, Service>;
  secrets?: Record<string, { file?: string }>;
}

/**
 * The file as `config` resolves it (anchors, merges and ${VAR:-default} done), with no secrets in the
 * environment, and the services `up` would start with these profiles: docker-compose 1.x's `config`
 * lists a service of an inactive profile too, Compose v2's leaves it out; both are read as v2 does.
 */
function resolved(file: string, profiles: string[] = []): ComposeFile {
  const env = { ...process.env, ENCRYPTION_KEYS_HOST_FILE: '', CP_HTTP_PORT: '', CP_PROMETHEUS_PORT: '', CP_GRAFANA_PORT: '', GRAFANA_ADMIN_PASSWORD: '' };
  const args = [...compose!.slice(1), '-f', join(ROOT, file), ...profiles.flatMap((p) => ['--profile', p]), 'config'];
  const parsed = parse(execFileSync(compose![0], args, { cwd: ROOT, env, encoding: 'utf8' })) as ComposeFile;
  const active = (service: Service) => !service.profiles?.length || service.profiles.some((p) => profiles.includes(p));
  return { ...parsed, services: Object.fromEntries(Object.entries(parsed.services).filter(([, service]) => active(service))) };
}

const published = (service: Service) => (service.ports ?? []).map((port) => (typeof port === 'string' ? port : `${port.published}:${port.target}`));
const mounts = (service: Service) => (service.volumes ?? []).map((v) => (typeof v === 'string' ? v : `${v.source}:${v.target}${v.read_only ? ':ro' : ''}`));
const replicasOf = (service: Service) => service.deploy?.replicas ?? service.scale ?? 1;
const dependencies = (service: Service) => (Array.isArray(service.depends_on)
  ? Object.fromEntries(service.depends_on.map((name) => [name, {}]))
  : service.depends_on ?? {}) as Record<string, { condition?: string }>;

/** What every variant must hold. */
function expectProductionShape(file: ComposeFile): void {
  const services = Object.entries(file.services);
  for (const [name, service] of services) {
    // Every service: a real healthcheck and a restart policy; every dependency waits for health.
    expect({ name, healthcheck: Boolean(service.healthcheck?.test) && !service.healthcheck?.disable }).toEqual({ name, healthcheck: true });
    expect({ name, restart: service.restart }).toEqual({ name, restart: expect.stringMatching(/^(always|unless-stopped|on-failure)/) });
    for (const [dependency, { condition }] of Object.entries(dependencies(service))) {
      expect({ name, dependency, condition }).toEqual({ name, dependency, condition: 'service_healthy' });
    }
    // No key in the environment: files only.
    expect({ name, env: Object.keys(service.environment ?? {}).filter((key) => key === 'ENCRYPTION_KEY') }).toEqual({ name, env: [] });
  }

  // One published port, the load balancer's.
  const ports = services.flatMap(([name, service]) => published(service).map((port) => `${name} ${port}`));
  expect(ports).toEqual([expect.stringMatching(/^lb \d+:80$/)]);
  expect(dependencies(file.services.lb).gateway?.condition).toBe('service_healthy');

  // One build, of the image every app runs; two replicas of each app.
  const builds = services.filter(([, service]) => service.build !== undefined).map(([name, service]) => `${name} ${service.image}`);
  expect(builds).toEqual([`gateway ${IMAGE}`]);
  for (const app of APPS) {
    const service = file.services[app];
    expect({ app, image: service?.image, app_env: service?.environment?.APP, replicas: replicasOf(service ?? {}) })
      .toEqual({ app, image: IMAGE, app_env: app, replicas: 2 });
    expect({ app, healthcheck: service.healthcheck?.test }).toEqual({ app, healthcheck: ['CMD', 'node', 'dist/scripts/healthcheck.js'] });
  }
  expect(services.filter(([name, service]) => service.image === IMAGE && !APPS.includes(name))).toEqual([]);

  // The master keys reach identity-svc and platform-svc as a secret file.
  for (const app of ['identity-svc', 'platform-svc']) {
    const service = file.services[app];
    const names = (service.secrets ?? []).map((secret) => (typeof secret === 'string' ? secret : secret.source));
    expect(names).toEqual(['encryption_keys']);
    expect(service.environment?.ENCRYPTION_KEYS_FILE).toBe('/run/secrets/encryption_keys');
  }
  expect(file.secrets?.encryption_keys?.file).toBe(join(ROOT, 'keys.json'));
}

describe('Dockerfile, .dockerignore, .gitignore', () => {
  const dockerfile = read('Dockerfile');

  it('builds in a stage of its own and runs Node 22 slim with production dependencies and dist/ only, as `node`, with a healthcheck', () => {
    const stages = [...dockerfile.matchAll(/^FROM\s+(\S+)\s+AS\s+(\S+)/gm)].map((m) => m[2]);
    expect(stages).toEqual(['build', 'deps', 'runtime']);
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:22-bookworm-slim$/m);
    const runtime = dockerfile.slice(dockerfile.indexOf('AS runtime'));
    expect(runtime.match(/^COPY .*/gm)).toEqual([
      'COPY package.json package-lock.json ./',
      'COPY --from=deps /app/node_modules ./node_modules',
      'COPY --from=build /app/dist ./dist',
    ]);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(dockerfile.slice(0, dockerfile.indexOf('AS deps'))).toMatch(/RUN npm run build/);
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^HEALTHCHECK .*\n?.*dist\/scripts\/healthcheck\.js/m);
    expect(runtime).toMatch(/^CMD .*dist\/apps\/\$\{APP\}\/src\/main\.js/m);
  });

  it('keeps keys, environment files, local state, dependencies, build output, VCS, reports and logs out of git and out of the build context', () => {
    const lines = (file: string) => read(file).split('\n').map((line) => line.trim()).filter((line) => line && !line.startsWith('#'));
    const git = lines('.gitignore');
    for (const entry of ['master.key', '*.key', 'keys.json', '.env', 'data/', 'node_modules/', 'dist/', 'coverage/', '*.log']) expect(git).toContain(entry);
    const docker = lines('.dockerignore');
    for (const entry of ['**/master.key', '**/*.key', '**/keys.json', '**/.env', '**/data/', '**/node_modules/', '**/dist/', '**/.git/', '**/coverage/', '**/*.log']) {
      expect(docker).toContain(entry);
    }
  });

  // Docker's own rules, as docker-py (a dependency of Debian's docker-compose) applies them.
  const dockerPy = spawnSync('python3', ['-c', 'import docker.utils.build'], { encoding: 'utf8' }).status === 0;
  if (!dockerPy) console.warn('python3 with the docker module (Debian: python3-docker, installed with docker-compose) is missing: the build context listing is skipped');
  (dockerPy ? it : it.skip)('sends only the sources and package files to `docker build`, even with keys and state lying around', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cp-context-'));
    try {
      const files = [
        'package.json', 'package-lock.json', 'tsconfig.json', '.swcrc', 'apps/gateway/src/main.ts', 'apps/baremetal-svc/templates/a.cfg',
        'apps/gateway/src/main.unit.spec.ts', 'master.key', 'keys.json', 'apps/gateway/keys.json', 'libs/crypto/test.key', '.env', 'apps/x/.env.local',
        'data/keys.json', 'node_modules/nats/index.js', 'dist/apps/gateway/src/main.js', '.git/HEAD', 'coverage/lcov.info', 'npm-debug.log',
        'test/accounts.e2e.spec.ts', 'bench/http.bench.ts', 'README.md',
      ];
      for (const file of files) {
        mkdirSync(dirname(join(dir, file)), { recursive: true });
        writeFileSync(join(dir, file), '');
      }
      writeFileSync(join(dir, '.dockerignore'), read('.dockerignore'));
      writeFileSync(join(dir, 'Dockerfile'), dockerfile);
      const script = [
        'import os, sys',
        'from docker.utils.build import exclude_paths',
        "patterns = [l.strip() for l in open('.dockerignore') if l.strip() and not l.strip().startswith('#')]",
        "print('\\n'.join(sorted(p for p in exclude_paths('.', patterns) if os.path.isfile(p))))",
      ].join('\n');
      const sent = execFileSync('python3', ['-c', script], { cwd: dir, encoding: 'utf8' }).trim().split('\n');
      expect(sent).toEqual([
        '.dockerignore', '.swcrc', 'Dockerfile', 'apps/baremetal-svc/templates/a.cfg', 'apps/gateway/src/main.ts',
        'package-lock.json', 'package.json', 'tsconfig.json',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('scripts/healthcheck.ts (the containers\' healthcheck)', () => {
  let nats: NatsServer | undefined;
  let nc: NatsConnection | undefined;
  let http: Server | undefined;
  let httpStatus = 200;
  const hasNats = findNatsServer() !== null;
  if (!hasNats) console.warn('nats-server is missing: the healthcheck script is not run');

  beforeAll(async () => {
    if (!hasNats) return;
    nats = await NatsServer.start();
    nc = await connect({ servers: nats.url });
    // identity answers its Health as a service does; nothing answers baremetal's.
    nc.subscribe('identity.query.Health', {
      queue: 'identity-svc',
      callback: (_error, msg) => {
        const request = JSON.parse(Buffer.from(msg.data).toString('utf8')) as { commandId?: string; payload?: unknown };
        const ok = typeof request.commandId === 'string' && request.payload !== undefined;
        msg.respond(Buffer.from(JSON.stringify(ok ? { ok: true, result: { status: 'ok', position: null } } : { ok: false, error: {} })));
      },
    });
    http = createServer((req, res) => {
      res.statusCode = req.url === '/health/ready' ? httpStatus : 404;
      res.end('{}');
    });
    await new Promise<void>((resolve) => http!.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    await nc?.close();
    await nats?.stop();
    await new Promise((resolve) => (http ? http.close(resolve) : resolve(undefined)));
  });

  /** The script as the image runs it (there: dist/scripts/healthcheck.js), its exit code and message. */
  function check(env: Record<string, string>, ...args: string[]): Promise<{ code: number; stderr: string }> {
    return new Promise((resolve) => {
      execFile(process.execPath, ['-r', '@swc-node/register', 'scripts/healthcheck.ts', ...args], {
        cwd: ROOT, env: { PATH: process.env.PATH, HEALTHCHECK_TIMEOUT_MS: '2000', ...env }, timeout: 30_000,
      }, (error, _stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stderr }));
    });
  }

  (hasNats ? it : it.skip)('a domain service: 0 when <context>.query.Health answers ok, 1 with the reason otherwise; the app from the argument or APP', async () => {
    const env = { NATS_URL: nats!.url };
    expect(await check(env, 'identity-svc')).toEqual({ code: 0, stderr: '' });
    expect(await check({ ...env, APP: 'identity-svc' })).toEqual({ code: 0, stderr: '' });
    expect(await check(env, 'baremetal-svc')).toEqual({ code: 1, stderr: expect.stringContaining('no service is available for baremetal.query.Health') });
    expect(await check(env, 'nonsense')).toEqual({ code: 1, stderr: expect.stringContaining('unknown app "nonsense"') });
    expect(await check({ NATS_URL: 'nats://127.0.0.1:1' }, 'identity-svc')).toEqual({ code: 1, stderr: expect.stringContaining('healthcheck: identity-svc:') });
  });

  (hasNats ? it : it.skip)('the gateway: 0 when GET /health/ready on PORT answers 200, 1 on 503 or no answer', async () => {
    const port = String((http!.address() as AddressInfo).port);
    httpStatus = 200;
    expect(await check({ APP: 'gateway', PORT: port })).toEqual({ code: 0, stderr: '' });
    httpStatus = 503;
    expect(await check({ APP: 'gateway', PORT: port })).toEqual({ code: 1, stderr: expect.stringContaining('GET /health/ready answered 503') });
    expect(await check({ APP: 'gateway', PORT: '1' })).toEqual({ code: 1, stderr: expect.stringContaining('ECONNREFUSED') });
  });

  (hasNats ? it : it.skip)('a domain service with METRICS_PORT: GET /health/ready there (this replica), not the Health subject', async () => {
    const port = String((http!.address() as AddressInfo).port);
    httpStatus = 200;
    // Nothing answers baremetal.query.Health: only the replica's own probe decides.
    expect(await check({ NATS_URL: nats!.url, METRICS_PORT: port }, 'baremetal-svc')).toEqual({ code: 0, stderr: '' });
    httpStatus = 503;
    expect(await check({ NATS_URL: nats!.url, METRICS_PORT: port }, 'identity-svc'))
      .toEqual({ code: 1, stderr: expect.stringContaining('identity-svc: GET /health/ready answered 503') });
  });
});

if (!compose) {
  console.warn('docker-compose is not installed (Debian: apt-get install docker-compose; .ci/run installs it): the compose files are not validated');
}
(compose ? describe : describe.skip)('docker-compose config (needs docker-compose)', () => {
  it('docker-compose.yml: EventStoreDB with an append size its validator accepts, one NATS with JetStream, two replicas of each app behind the load balancer', () => {
    const file = resolved('docker-compose.yml');
    expectProductionShape(file);
    expect(Object.keys(file.services).sort()).toEqual([...APPS, 'eventstore', 'lb', 'nats'].sort());

    const esdb = file.services.eventstore;
    const maxAppend = Number(esdb.environment?.EVENTSTORE_MAX_APPEND_SIZE);
    expect(maxAppend).toBeGreaterThan(0);
    expect(maxAppend).toBeLessThanOrEqual(ESDB_MAX_APPEND_SIZE);
    expect(read('deploy/nats.conf')).toMatch(/^jetstream\s*\{/m);

    // audit-svc reads the log where the services write it.
    for (const app of ['identity-svc', 'baremetal-svc', 'platform-svc', 'audit-svc']) {
      expect(file.services[app].environment).toMatchObject({ EVENT_STORE: 'esdb', ESDB_CONNECTION_STRING: 'esdb://eventstore:2113?tls=false', NATS_URL: 'nats://nats:4222' });
      expect(Object.keys(dependencies(file.services[app])).sort()).toEqual(['eventstore', 'nats']);
    }
    expect(Object.keys(dependencies(file.services.gateway)).sort()).toEqual(['audit-svc', 'baremetal-svc', 'identity-svc', 'nats', 'platform-svc']);
  });

  it('docker-compose.yml --profile observability: Prometheus scraping every app\'s metrics port, Grafana with its data source and dashboard, both on the loopback', () => {
    const base = resolved('docker-compose.yml');
    const file = resolved('docker-compose.yml', ['observability']);
    expect(Object.keys(file.services).sort()).toEqual([...Object.keys(base.services), 'grafana', 'prometheus'].sort());
    // The rest of the production shape holds; the two extra published ports are on 127.0.0.1 only.
    expectProductionShape({ ...file, services: Object.fromEntries(Object.entries(file.services).filter(([name]) => !['grafana', 'prometheus'].includes(name))) });
    for (const name of ['prometheus', 'grafana']) {
      const service = file.services[name];
      expect({ name, healthcheck: Boolean(service.healthcheck?.test), restart: service.restart }).toEqual({ name, healthcheck: true, restart: 'unless-stopped' });
    }
    expect(published(file.services.prometheus)).toEqual(['127.0.0.1:9090:9090/tcp']);
    expect(published(file.services.grafana)).toEqual(['127.0.0.1:3000:3000/tcp']);
    expect(dependencies(file.services.grafana)).toEqual({ prometheus: { condition: 'service_healthy' } });
    expect(mounts(file.services.prometheus)).toContain(`${join(ROOT, 'deploy/prometheus.yml')}:/etc/prometheus/prometheus.yml:ro`);
    expect(mounts(file.services.grafana)).toEqual(expect.arrayContaining([
      `${join(ROOT, 'deploy/grafana/provisioning')}:/etc/grafana/provisioning:ro`, `${join(ROOT, 'deploy/grafana/dashboards')}:/etc/grafana/dashboards:ro`,
    ]));

    // Every app is scraped where it serves /metrics: the gateway on its PORT, each service on the image's METRICS_PORT.
    const metricsPort = /METRICS_PORT=(\d+)/.exec(read('Dockerfile'))?.[1];
    expect(metricsPort).toBe('9100');
    const prometheus = parse(read('deploy/prometheus.yml')) as { scrape_configs: Array<{ job_name: string; dns_sd_configs?: Array<{ names: string[]; type: string; port: number }> }> };
    const scraped = Object.fromEntries(prometheus.scrape_configs.flatMap((job) => (job.dns_sd_configs ?? []).map((sd) => [job.job_name, { names: sd.names, type: sd.type, port: sd.port }])));
    expect(scraped).toEqual(Object.fromEntries(APPS.map((app) => [app, { names: [app], type: 'A', port: app === 'gateway' ? Number(file.services.gateway.environment?.PORT) : 9100 }])));

    // Grafana: the compose Prometheus as its data source, the dashboard loaded from the mounted folder.
    const datasources = parse(read('deploy/grafana/provisioning/datasources/prometheus.yml')) as { datasources: Array<{ uid: string; type: string; url: string }> };
    expect(datasources.datasources).toEqual([expect.objectContaining({ uid: 'cp-prometheus', type: 'prometheus', url: 'http://prometheus:9090' })]);
    const providers = parse(read('deploy/grafana/provisioning/dashboards/control-plane.yml')) as { providers: Array<{ options: { path: string } }> };
    expect(providers.providers.map((p) => p.options.path)).toEqual(['/etc/grafana/dashboards']);
    const dashboard = JSON.parse(read('deploy/grafana/dashboards/control-plane.json')) as { uid: string; panels: Array<{ type: string; datasource?: { uid: string }; targets?: Array<{ expr: string }> }> };
    expect(dashboard.uid).toBe('cp-control-plane');
    const queries = dashboard.panels.filter((p) => p.type !== 'row');
    expect(queries.length).toBeGreaterThan(10);
    for (const panel of queries) expect(panel.datasource?.uid).toBe('cp-prometheus');
    // Every cp_ metric a panel asks for is one the apps define (libs/observability).
    const defined = new Set(['metrics.ts', 'read-model-lag.ts'].flatMap((f) => [...read(`libs/observability/src/${f}`).matchAll(/name: '(cp_\w+)'/g)].map((m) => m[1])));
    const asked = new Set(queries.flatMap((p) => (p.targets ?? []).flatMap((t) => [...t.expr.matchAll(/\b(cp_\w+?)(?:_bucket|_count|_sum)?\b/g)].map((m) => m[1]))));
    expect([...asked].filter((name) => !defined.has(name))).toEqual([]);
    expect(asked.size).toBeGreaterThan(10);

    // The load balancer does not hand the gateway's /metrics to the outside.
    expect(read('deploy/nginx.conf')).toMatch(/location = \/metrics \{\s*return 404;/);
  });

  it('deploy/docker-compose.nats-cluster.yml: the event store on a 3-node JetStream cluster instead of EventStoreDB', () => {
    const file = resolved('deploy/docker-compose.nats-cluster.yml');
    expectProductionShape(file);
    const nodes = ['nats-1', 'nats-2', 'nats-3'];
    expect(Object.keys(file.services).sort()).toEqual([...APPS, 'lb', ...nodes].sort());
    expect(Object.values(file.services).filter((service) => service.image?.startsWith('eventstore/'))).toEqual([]);

    const conf = read('deploy/nats-cluster.conf');
    expect(conf).toMatch(/^jetstream\s*\{/m);
    expect(conf).toMatch(/^cluster\s*\{/m);
    for (const node of nodes) {
      expect(conf).toContain(`nats-route://${node}:6222`);
      expect(file.services[node].environment?.NATS_SERVER_NAME).toBe(node);
    }
    const urls = nodes.map((node) => `nats://${node}:4222`).join(',');
    for (const app of APPS) expect(file.services[app].environment?.NATS_URL).toBe(urls);
    for (const app of APPS.filter((a) => a !== 'gateway')) {
      // Every stream and bucket with a copy on each node.
      expect(file.services[app].environment).toMatchObject({ EVENT_STORE: 'jetstream', JETSTREAM_REPLICAS: '3' });
      expect(Object.keys(dependencies(file.services[app])).sort()).toEqual(nodes);
    }
    expect(file.services.gateway.build).toMatchObject({ context: ROOT });
  });
});
