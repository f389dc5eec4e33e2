import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError, envInt, envString } from '@cp/config';
import { parseArgs } from 'node:util';
import {
  NATS_MISSING_HELP, NatsCluster, NatsServer, REPO_ROOT, STACK_APPS, appEnv, findNatsServer, freePort, launchApps, runnableEntry, spawnNode, stopInOrder,
  waitHealthy, type AppName, type StackApp,
} from '@cp/testing';
import { ADMIN_INITIAL_PASSWORD_SHA512 } from '@cp/contracts';
import { createKeyFile, keyRingFromEnv } from '@cp/crypto';
import { restartPolicyFromEnv } from './supervisor/restart-policy';
import { prepareConsole } from './start-console';
import { Supervised, type Running } from './supervisor/supervised';

/**
 * `npm start` (and `npm run start:prod`, this file compiled to dist/scripts/start.js: then the apps run
 * compiled too, by plain node, from dist/apps/<name>/src/main.js): the whole control plane on one machine, no Docker. A private nats-server with
 * JetStream (its own port, data under DATA_DIR) is the event store and the bus; identity-svc,
 * baremetal-svc, platform-svc, audit-svc and the gateway run as child processes against it.
 *
 * The launcher supervises them: a child that exits on its own (nats-server included) is restarted
 * with backoff while the others keep serving, and a crash loop stops everything with exit code 1
 * (policy in supervisor/restart-policy.ts). Ctrl-C or SIGTERM stops the gateway, then the services,
 * then nats-server, each group SIGKILLed after START_STOP_TIMEOUT_MS (10 s); a second Ctrl-C kills
 * everything at once. DATA_DIR/pids.json lists the current pids while it runs. The apps, their start
 * and stop order and how each is spawned are libs/testing's (STACK_APPS), shared with the tests and benches.
 */

const say = (line: string) => process.stdout.write(`[start] ${line}\n`);

/**
 * What runs: `npm start`, one nats-server and one of each app; `npm run start:cluster` (`--cluster`),
 * a 3-node nats-server cluster whose streams, KV buckets and object store keep 3 replicas
 * (JETSTREAM_REPLICAS=3), two replicas of every domain service and two gateways (PORT and PORT+1).
 */
interface Topology {
  natsNodes: number;
  replicas: number;
}
const SINGLE: Topology = { natsNodes: 1, replicas: 1 };
const CLUSTER: Topology = { natsNodes: 3, replicas: 2 };

/** One running copy of an app: `identity-svc`, `identity-svc-2`, `gateway-2`... */
interface Instance {
  app: StackApp;
  name: string;
  env: NodeJS.ProcessEnv;
}

async function main(topology: Topology): Promise<void> {
  const dataDir = resolve(envString(process.env, 'DATA_DIR', join(REPO_ROOT, 'data')));
  const port = envInt(process.env, 'PORT', 8080, 1, 65535);
  const policy = restartPolicyFromEnv(process.env);
  const stopTimeoutMs = envInt(process.env, 'START_STOP_TIMEOUT_MS', 10_000, 0, 600_000);
  if (!findNatsServer()) {
    process.stderr.write(`${NATS_MISSING_HELP}\n`);
    process.exit(1);
  }
  const consoleReady = prepareConsole(say);
  const clustered = topology.natsNodes > 1;
  mkdirSync(join(dataDir, clustered ? 'nats-cluster' : 'nats'), { recursive: true });
  const keyEnv = masterKeyEnv(dataDir);
  const lockFile = lockDataDir(dataDir);
  const natsPortBase = envInt(process.env, 'NATS_PORT', 0, 0, 65535);
  const natsPorts = await Promise.all(Array.from({ length: topology.natsNodes }, async (_, i) => (natsPortBase ? natsPortBase + i : await freePort())));
  // A cluster's route ports: 1000 above the client ports when those are given, else free ones; fixed
  // for the launcher's life, so that a restarted node finds the others where they were.
  const routePorts = clustered ? await Promise.all(natsPorts.map(async (p) => (natsPortBase ? p + 1000 : await freePort()))) : [];
  // Each service's /metrics, /health/live and /health/ready: from METRICS_PORT up when set, else free ports.
  const metricsBase = envInt(process.env, 'METRICS_PORT', 0, 0, 65535) || null;

  // For operators and tests: which process is which, kept current across restarts.
  const pidsFile = join(dataDir, 'pids.json');
  const pids: Record<string, number> = { launcher: process.pid };
  const recordPid = (name: string) => (pid: number) => {
    pids[name] = pid;
    // Written aside, then renamed over: a reader never sees a half-written file.
    writeFileSync(`${pidsFile}.tmp`, `${JSON.stringify(pids, null, 2)}\n`);
    renameSync(`${pidsFile}.tmp`, pidsFile);
  };

  let stopping = false;
  const supervise = (name: string, launch: () => Promise<Running>) =>
    new Supervised(name, launch, { policy, say, onStart: recordPid(name), onGiveUp: () => void stop(1) });

  // The nodes restart on the same port and store: the apps reconnect by themselves (they retry forever).
  const nodes: NatsServer[] = [];
  const nodeName = (i: number) => (clustered ? `nats-server-${i + 1}` : 'nats-server');
  const natsChildren = natsPorts.map((_, i) => supervise(nodeName(i), async () => {
    const node = nodes[i];
    // A failed restart must leave no server behind (one that never listened, say), or a later one would clash with it.
    await node.restart().catch(async (error) => {
      await node.stop({ keepStore: true });
      throw error;
    });
    return { pid: node.pid ?? 0, exited: node.exited };
  }));
  const natsUrl = natsPorts.map((p) => `nats://127.0.0.1:${p}`).join(',');
  const appsEnv = {
    ...process.env, NATS_URL: natsUrl, DATA_DIR: dataDir,
    ...(clustered ? { JETSTREAM_REPLICAS: String(topology.natsNodes) } : {}),
  };
  const instances: Instance[] = [];
  let metricsNext = metricsBase;
  // Free ports for the metrics listeners, none of them one the gateways or nodes are given.
  const taken = new Set<number>([...natsPorts, ...routePorts, ...Array.from({ length: topology.replicas }, (_, r) => port + r)]);
  const freeMetricsPort = async (): Promise<number> => {
    for (;;) {
      const candidate = await freePort();
      if (!taken.has(candidate)) {
        taken.add(candidate);
        return candidate;
      }
    }
  };
  for (const app of STACK_APPS) {
    for (let r = 0; r < topology.replicas; r++) {
      const name = r === 0 ? app.name : `${app.name}-${r + 1}`;
      // Several gateways share their sessions' write positions (read-your-writes through either).
      const own = app.context === null
        ? { PORT: String(port + r), ...(topology.replicas > 1 ? { SHARED_SESSION_POSITIONS: 'true' } : {}) }
        : { METRICS_PORT: String(metricsNext === null ? await freeMetricsPort() : metricsNext++) };
      instances.push({ app, name, env: { ...appEnv(app, appsEnv, keyEnv), ...own } });
    }
  }
  // Each in its own process group (spawnNode's way): Ctrl-C reaches only this launcher, which stops the apps in order.
  const apps = new Map<AppName, Supervised[]>();
  for (const instance of instances) {
    const child = supervise(instance.name, async () => spawnNode(runnableEntry(instance.app), { stdio: 'inherit', env: instance.env }));
    apps.set(instance.app.name, [...(apps.get(instance.app.name) ?? []), child]);
  }
  const everything = [...[...apps.values()].flat(), ...natsChildren];

  const finish = (code: number) => {
    rmSync(pidsFile, { force: true });
    rmSync(lockFile, { force: true });
    say('stopped');
    process.exit(code);
  };
  // The gateways, then the services (STOP_ORDER); nats-server last.
  async function stop(code: number): Promise<void> {
    if (stopping) return;
    stopping = true;
    say('stopping...');
    // Before anything else: a child dying from here on (nats-server while the apps stop, say) stays dead.
    for (const child of everything) child.endRestarts();
    await stopInOrder(apps, (replicas) => Promise.all(replicas.map((child) => child.stop(stopTimeoutMs))).then(() => undefined));
    await Promise.all(natsChildren.map((child) => child.stop(stopTimeoutMs)));
    finish(code);
  }
  const killEverything = async () => {
    say('interrupted again: killing everything now');
    await Promise.all(everything.map((child) => child.kill()));
    finish(1);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => void (stopping ? killEverything() : stop(0)));
  }

  const storeOf = (i: number) => (clustered ? join(dataDir, 'nats-cluster', `node-${i + 1}`) : join(dataDir, 'nats'));
  const logOf = (i: number) => join(dataDir, clustered ? `nats-server-${i + 1}.log` : 'nats-server.log');
  nodes.push(...natsPortsToServers(natsPorts, routePorts, storeOf, logOf));
  // Every node first (a cluster elects its JetStream leader once its nodes see each other), one after
  // another (two nodes dialling each other at the same instant close one route as a duplicate), then
  // their supervision.
  for (const child of natsChildren) {
    if (!stopping) await child.start();
  }
  if (stopping) return;
  const first = nodes[0];
  if (clustered) {
    try {
      await NatsCluster.waitForJetStream(nodes, 60_000);
    } catch (error) {
      // The nodes run in their own process groups: stop them rather than leave them behind.
      say(`${(error as Error).message}; stopping (start again: the nodes keep their data)`);
      return stop(1);
    }
  }
  say(`nats-server ${first.versionText} with JetStream on ${natsUrl}${clustered ? ` (a ${nodes.length}-node cluster, ${topology.natsNodes} replicas of every stream and bucket)` : ''}, data in ${dataDir}`);
  if (!first.syncAlways) {
    say(`CAVEAT: nats-server ${first.versionText} cannot fsync every write (sync_interval needs 2.10+): an event acknowledged`);
    say(`         in the last two minutes can be lost on a power cut${clustered ? ' of every node at once' : ''}. Install nats-server 2.10 or later to close this gap.`);
  }

  // For the operators' tools (npm run replay): where this data folder's NATS listens.
  writeFileSync(join(dataDir, 'nats.url'), `${natsUrl}\n`);

  const urls = Array.from({ length: topology.replicas }, (_, r) => `http://127.0.0.1:${port + r}`);
  try {
    // A Ctrl-C during start-up: nothing more starts, and `stop` ends what runs. An app that exits
    // meanwhile is restarted by its supervisor, so the wait watches only /health.
    await launchApps((app) => Promise.all(apps.get(app.name)!.map((child) => child.start())), { healthUrl: `${urls[0]}/health`, timeoutMs: 120_000, cancelled: () => stopping });
    for (const url of urls.slice(1)) await waitHealthy(`${url}/health`, 60_000, { cancelled: () => stopping });
  } catch (error) {
    // An app that could not be launched, or no health in time: stop what runs rather than leave it behind.
    say((error as Error).message);
    return stop(1);
  }
  if (stopping) return;
  const url = urls[0];
  say(`ready: ZStack API at ${urls.map((u) => `${u}/zstack/v1`).join(' and ')}, our JSON API at ${url}/api/v1 (health: ${url}/health)`);
  const metrics = instances.filter((i) => i.env.METRICS_PORT).map((i) => `http://127.0.0.1:${i.env.METRICS_PORT}/metrics (${i.name})`);
  if (consoleReady) say(`console: ${url}/console`);
  say(`metrics: ${urls.map((u) => `${u}/metrics`).join(', ')} (gateway${urls.length > 1 ? 's' : ''}), ${metrics.join(', ')}; each with /health/live and /health/ready`);
  say('log in as the built-in admin (password "password", sent as its SHA-512 hex):');
  say(`  curl -X PUT ${url}/zstack/v1/accounts/login -d '{"logInByAccount":{"accountName":"admin","password":"${ADMIN_INITIAL_PASSWORD_SHA512}"}}'`);
  say('Ctrl-C stops everything; the data stays for the next start.');
}

/** The nodes, not started: one, or a cluster's (each knows every node's route port). */
function natsPortsToServers(ports: number[], routes: number[], storeOf: (i: number) => string, logOf: (i: number) => string): NatsServer[] {
  if (ports.length === 1) return [NatsServer.create({ port: ports[0], storeDir: storeOf(0), syncAlways: true, logFile: logOf(0) })];
  return ports.map((p, i) => NatsServer.create({
    port: p, storeDir: storeOf(i), syncAlways: true, logFile: logOf(i),
    cluster: { serverName: `node-${i + 1}`, clusterName: 'cp', routePort: routes[i], routes },
  }));
}

/**
 * identity-svc's master key, which seals access key secrets: the user's ENCRYPTION_KEYS_FILE or
 * ENCRYPTION_KEY when set, else DATA_DIR/keys.json, created (mode 0600) on the first start. Checked
 * here, so that a broken key file stops the launcher before anything starts.
 */
function masterKeyEnv(dataDir: string): Record<string, string> {
  let env: Record<string, string> = {};
  if (!process.env.ENCRYPTION_KEYS_FILE && !process.env.ENCRYPTION_KEY) {
    const path = join(dataDir, 'keys.json');
    if (createKeyFile(path)) {
      say(`created the master key ${path} (mode 0600); back it up with the data: access keys cannot be verified without it`);
    } else if ((statSync(path).mode & 0o077) !== 0) {
      say(`WARNING: ${path} holds the master key and other users can read it; run chmod 600 on it`);
    }
    env = { ENCRYPTION_KEYS_FILE: path };
  }
  try {
    keyRingFromEnv({ ...process.env, ...env });
  } catch (error) {
    process.stderr.write(`[start] ${(error as Error).message}\n`);
    process.exit(1);
  }
  return env;
}

/** One launcher per data folder: two nats-servers on one store would corrupt it. */
function lockDataDir(dataDir: string): string {
  const lockFile = join(dataDir, 'start.pid');
  if (existsSync(lockFile)) {
    const pid = Number(readFileSync(lockFile, 'utf8'));
    let alive = false;
    try {
      alive = pid > 0 && process.kill(pid, 0);
    } catch {
      alive = false;
    }
    if (alive) {
      process.stderr.write(`[start] another \`npm start\` (pid ${pid}) is using ${dataDir}; stop it first or set DATA_DIR\n`);
      process.exit(1);
    }
  }
  writeFileSync(lockFile, String(process.pid));
  return lockFile;
}

const { values: flags } = parseArgs({ options: { cluster: { type: 'boolean', default: false } }, strict: true });
main(flags.cluster ? CLUSTER : SINGLE).catch((error) => {
  // A bad setting (PORT=abc...): `[start] cannot start: <the variable, its rule and the value>`, no stack trace.
  process.stderr.write(`[start] ${error instanceof ConfigError ? 'cannot start: ' : ''}${(error as Error).message}\n`);
  process.exit(1);
});
