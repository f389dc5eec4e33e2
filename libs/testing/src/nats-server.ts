import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createServer, connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where nats-server is looked for, in order: NATS_SERVER_BIN, the Debian path, then PATH. */
export function findNatsServer(): string | null {
  const candidates = [process.env.NATS_SERVER_BIN, '/usr/sbin/nats-server', '/usr/local/bin/nats-server', '/usr/bin/nats-server'];
  for (const c of candidates) if (c && existsSync(c)) return c;
  try {
    return execFileSync('sh', ['-c', 'command -v nats-server'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

export function natsServerVersion(bin: string): [number, number, number] {
  const out = execFileSync(bin, ['--version'], { encoding: 'utf8' });
  const m = /v?(\d+)\.(\d+)\.(\d+)/.exec(out);
  if (!m) throw new Error(`cannot read the version of ${bin}: ${out}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** The max_payload of the servers we start (nats-server's own default is 1 MiB). */
export const NATS_MAX_PAYLOAD = 64 * 1024 * 1024;

/** nats-server 2.10 introduced `sync_interval`; older servers fsync on their own schedule. */
export const supportsSyncAlways = (v: [number, number, number]): boolean => v[0] > 2 || (v[0] === 2 && v[1] >= 10);

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** A free port whose next one is free too (the cluster's second gateway listens on PORT + 1). */
export async function freePortPair(): Promise<number> {
  for (;;) {
    const port = await freePort();
    const next = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(false));
      probe.listen(port + 1, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (next) return port;
  }
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = tcpConnect(port, '127.0.0.1');
      s.once('connect', () => { s.destroy(); resolve(true); });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nats-server did not listen on 127.0.0.1:${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface NatsServerOptions {
  port?: number;
  /** JetStream store directory; a fresh temporary one when absent (removed by `stop`). */
  storeDir?: string;
  /** Ask for `sync_interval: always` when the server supports it. */
  syncAlways?: boolean;
  /** Where the server's own log goes; a file in the store dir by default. */
  logFile?: string;
  /** A node of a cluster (NatsCluster): its name, its route port and the other nodes' route ports. */
  cluster?: NatsClusterNode;
}

export interface NatsClusterNode {
  /** The server's name (JetStream in a cluster needs one per node). */
  serverName: string;
  /** The cluster's name, the same on every node. */
  clusterName: string;
  routePort: number;
  /** The route ports of every node (this one's included: nats-server ignores a route to itself). */
  routes: number[];
}

export interface NatsServerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A private nats-server with JetStream, on its own port and store, that a test or `npm start` owns. */
export class NatsServer {
  private child: ChildProcess | null = null;
  private exitedPromise: Promise<NatsServerExit> = Promise.resolve({ code: null, signal: null });
  readonly bin: string;
  readonly version: [number, number, number];
  readonly syncAlways: boolean;

  private constructor(
    readonly port: number,
    readonly storeDir: string,
    private readonly ownsStore: boolean,
    private readonly opts: NatsServerOptions,
  ) {
    const bin = findNatsServer();
    if (!bin) throw new Error(NATS_MISSING_HELP);
    this.bin = bin;
    this.version = natsServerVersion(bin);
    this.syncAlways = Boolean(opts.syncAlways) && supportsSyncAlways(this.version);
  }

  /**
   * A server on `port` and `storeDir`, not started yet (`restart()` starts it): for a supervisor that
   * starts it itself. `ownsStore`: `stop` removes the store (a temporary one).
   */
  static create(opts: NatsServerOptions & { port: number; storeDir: string; ownsStore?: boolean }): NatsServer {
    return new NatsServer(opts.port, opts.storeDir, opts.ownsStore ?? false, opts);
  }

  static async start(opts: NatsServerOptions = {}): Promise<NatsServer> {
    const port = opts.port ?? (await freePort());
    const ownsStore = !opts.storeDir;
    const storeDir = opts.storeDir ?? mkdtempSync(join(tmpdir(), 'cp-nats-'));
    const server = new NatsServer(port, storeDir, ownsStore, opts);
    await server.restart();
    return server;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  get versionText(): string {
    return this.version.join('.');
  }

  /** The current server process's pid (`npm start` supervises it). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Settles when the current server process exits, for whatever reason (a crash, a kill, `stop`). */
  get exited(): Promise<NatsServerExit> {
    return this.exitedPromise;
  }

  /** Start (again) on the same port and store: data written before survives. */
  async restart(): Promise<void> {
    if (this.child) await this.stop({ keepStore: true });
    mkdirSync(this.storeDir, { recursive: true });
    const conf = join(this.storeDir, 'nats-server.conf');
    const sync = this.syncAlways ? ', sync_interval: always' : '';
    // max_payload: a baremetal template's content (up to 16,777,215 characters) travels in one request,
    // one event and one job outcome. 64 MiB is the server's ceiling.
    const cluster = this.opts.cluster;
    // The other nodes only: a route to itself is dropped by the server anyway, after a connection.
    const otherRoutes = cluster ? cluster.routes.filter((p) => p !== cluster.routePort) : [];
    const clusterConf = cluster
      ? `server_name: ${JSON.stringify(cluster.serverName)}\ncluster {\n  name: ${JSON.stringify(cluster.clusterName)}\n` +
        `  listen: "127.0.0.1:${cluster.routePort}"\n  routes: [${otherRoutes.map((p) => `"nats-route://127.0.0.1:${p}"`).join(', ')}]\n}\n`
      : '';
    writeFileSync(conf, `listen: "127.0.0.1:${this.port}"\nmax_payload: ${NATS_MAX_PAYLOAD}\n${clusterConf}` +
      `jetstream { store_dir: ${JSON.stringify(this.storeDir)}${sync} }\n`);
    const logFile = this.opts.logFile ?? join(this.storeDir, 'nats-server.log');
    // Own process group: a Ctrl-C meant for our launcher must not stop the server before the apps.
    const child = spawn(this.bin, ['-c', conf, '-l', logFile], { stdio: 'ignore', detached: true });
    this.child = child;
    this.exitedPromise = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    await Promise.race([
      waitForPort(this.port, 10_000),
      this.exitedPromise.then(() => { throw new Error(`nats-server exited at start; see ${logFile}`); }),
    ]);
  }

  /** Whether the server process is running (false after `kill` until `restart`). */
  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  /**
   * Kills the server at once (SIGKILL: no shutdown, no flush of what it buffered), as a crash would;
   * the store is kept, so `restart()` brings it back on the same port and store.
   */
  async kill(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGKILL');
    await this.exited;
  }

  /** Stop the server. The temporary store is removed unless `keepStore` (for a restart). */
  async stop(options: { keepStore?: boolean } = {}): Promise<void> {
    const child = this.child;
    this.child = null;
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await this.exitedPromise;
      clearTimeout(timer);
    }
    if (!options.keepStore && this.ownsStore) rmSync(this.storeDir, { recursive: true, force: true });
  }
}

export const NATS_MISSING_HELP = [
  'nats-server was not found. Install it, then run again:',
  '  Debian/Ubuntu:  sudo apt-get install nats-server',
  '  macOS:          brew install nats-server',
  '  other:          https://docs.nats.io/running-a-nats-service/introduction/installation',
  'or point NATS_SERVER_BIN at the binary.',
].join('\n');
