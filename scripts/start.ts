import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError, envInt, envString } from '@cp/config';
import {
  NATS_MISSING_HELP, NatsServer, REPO_ROOT, STACK_APPS, appEnv, findNatsServer, freePort, launchApps, runnableEntry, serviceMetricsPorts, spawnNode, stopInOrder,
} from '@cp/testing';
import { ADMIN_INITIAL_PASSWORD_SHA512 } from '@cp/contracts';
import { createKeyFile, keyRingFromEnv } from '@cp/crypto';
import { restartPolicyFromEnv } from './supervisor/restart-policy';
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

async function main(): Promise<void> {
  const dataDir = resolve(envString(process.env, 'DATA_DIR', join(REPO_ROOT, 'data')));
  const port = envInt(process.env, 'PORT', 8080, 1, 65535);
  const policy = restartPolicyFromEnv(process.env);
  const stopTimeoutMs = envInt(process.env, 'START_STOP_TIMEOUT_MS', 10_000, 0, 600_000);
  if (!findNatsServer()) {
    process.stderr.write(`${NATS_MISSING_HELP}\n`);
    process.exit(1);
  }
  mkdirSync(join(dataDir, 'nats'), { recursive: true });
  const keyEnv = masterKeyEnv(dataDir);
  const lockFile = lockDataDir(dataDir);
  const natsPort = envInt(process.env, 'NATS_PORT', 0, 0, 65535) || (await freePort());
  // Each service's /metrics, /health/live and /health/ready: from METRICS_PORT up when set, else free ports.
  const metricsPorts = await serviceMetricsPorts(envInt(process.env, 'METRICS_PORT', 0, 0, 65535) || null);

  // For operators and tests: which process is which, kept current across restarts.
  const pidsFile = join(dataDir, 'pids.json');
  const pids: Record<string, number> = { launcher: process.pid };
  const recordPid = (name: string) => (pid: number) => {
    pids[name] = pid;
    writeFileSync(pidsFile, `${JSON.stringify(pids, null, 2)}\n`);
  };

  let stopping = false;
  const supervise = (name: string, launch: () => Promise<Running>) =>
    new Supervised(name, launch, { policy, say, onStart: recordPid(name), onGiveUp: () => void stop(1) });

  // nats-server restarts on the same port and store: the apps reconnect by themselves (they retry forever).
  let nats: NatsServer | undefined;
  const natsChild = supervise('nats-server', async () => {
    if (!nats) {
      nats = await NatsServer.start({ port: natsPort, storeDir: join(dataDir, 'nats'), syncAlways: true, logFile: join(dataDir, 'nats-server.log') });
    } else {
      const server = nats;
      // A failed restart must leave no server behind (one that never listened, say), or a later one would clash with it.
      await server.restart().catch(async (error) => {
        await server.stop({ keepStore: true });
        throw error;
      });
    }
    return { pid: nats.pid ?? 0, exited: nats.exited };
  });
  const appsEnv = { ...process.env, NATS_URL: `nats://127.0.0.1:${natsPort}`, PORT: String(port), DATA_DIR: dataDir };
  // Each in its own process group (spawnNode's way): Ctrl-C reaches only this launcher, which stops the apps in order.
  const apps = new Map(STACK_APPS.map((app) => [app.name, supervise(app.name, async () => spawnNode(runnableEntry(app), { stdio: 'inherit', env: { ...appEnv(app, appsEnv, keyEnv), METRICS_PORT: String(metricsPorts.get(app.name) ?? '') } }))] as const));
  const everything = [...apps.values(), natsChild];

  const finish = (code: number) => {
    rmSync(pidsFile, { force: true });
    rmSync(lockFile, { force: true });
    say('stopped');
    process.exit(code);
  };
  // The gateway, then the services (STOP_ORDER); nats-server last.
  async function stop(code: number): Promise<void> {
    if (stopping) return;
    stopping = true;
    say('stopping...');
    // Before anything else: a child dying from here on (nats-server while the apps stop, say) stays dead.
    for (const child of everything) child.endRestarts();
    await stopInOrder(apps, (child) => child.stop(stopTimeoutMs));
    await natsChild.stop(stopTimeoutMs);
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

  await natsChild.start();
  if (stopping || !nats) return;
  say(`nats-server ${nats.versionText} with JetStream on ${nats.url}, data in ${dataDir}`);
  if (!nats.syncAlways) {
    say(`CAVEAT: nats-server ${nats.versionText} cannot fsync every write (sync_interval needs 2.10+): an event acknowledged`);
    say('         in the last two minutes can be lost on a power cut. Install nats-server 2.10 or later to close this gap.');
  }

  // For the operators' tools (npm run replay): where this data folder's NATS listens.
  writeFileSync(join(dataDir, 'nats.url'), `${nats.url}\n`);

  const url = `http://127.0.0.1:${port}`;
  try {
    // A Ctrl-C during start-up: nothing more starts, and `stop` ends what runs. An app that exits
    // meanwhile is restarted by its supervisor, so the wait watches only /health.
    await launchApps((app) => apps.get(app.name)!.start(), { healthUrl: `${url}/health`, timeoutMs: 120_000, cancelled: () => stopping });
  } catch (error) {
    // An app that could not be launched, or no health in time: stop what runs rather than leave it behind.
    say((error as Error).message);
    return stop(1);
  }
  if (stopping) return;
  say(`ready: ZStack API at ${url}/zstack/v1, our JSON API at ${url}/api/v1 (health: ${url}/health)`);
  say(`metrics: ${url}/metrics (gateway), ${[...metricsPorts].map(([name, p]) => `http://127.0.0.1:${p}/metrics (${name})`).join(', ')}; each with /health/live and /health/ready`);
  say('log in as the built-in admin (password "password", sent as its SHA-512 hex):');
  say(`  curl -X PUT ${url}/zstack/v1/accounts/login -d '{"logInByAccount":{"accountName":"admin","password":"${ADMIN_INITIAL_PASSWORD_SHA512}"}}'`);
  say('Ctrl-C stops everything; the data stays for the next start.');
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

main().catch((error) => {
  // A bad setting (PORT=abc...): `[start] cannot start: <the variable, its rule and the value>`, no stack trace.
  process.stderr.write(`[start] ${error instanceof ConfigError ? 'cannot start: ' : ''}${(error as Error).message}\n`);
  process.exit(1);
});
