import { DebugEvents, Events, StorageType, connect, type ConnectionOptions, type KV, type KvOptions, type NatsConnection, type Status } from 'nats';
import { jetStreamReplicas } from '@cp/config';
import { trackNatsConnection } from '@cp/observability';

/**
 * Every NATS connection of ours: reconnects forever (a restart of nats-server must not need a
 * restart of our processes), with a name that shows in the server's monitoring. No async traces:
 * nats.js would otherwise build an Error with a stack for every request (measured: a fifth of the
 * gateway's busy time under load), and we map request failures by their code, not their stack.
 */
export function connectNats(servers: string, name: string, extra: Partial<ConnectionOptions> = {}): Promise<NatsConnection> {
  return connect({
    servers: servers.split(','),
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    pingInterval: 10_000,
    noAsyncTraces: true,
    ...extra,
  }).then((nc) => (trackNatsConnection(nc, name, () => natsLink(nc).state), nc));
}

/**
 * Opens (creating when missing) one of our KV buckets: on file storage, one value per key kept, with
 * JETSTREAM_REPLICAS copies, read consistently. Every bucket of ours is opened here.
 */
export function openKv(nc: NatsConnection, bucket: string, options: Partial<KvOptions> = {}): Promise<KV> {
  const replicas = jetStreamReplicas();
  // With replicas, a get goes to the bucket's leader: a direct get may be answered by a follower
  // still a moment behind (a session just made, a job just recorded, would read as missing).
  return nc.jetstream().views.kv(bucket, { history: 1, storage: StorageType.File, replicas, allow_direct: replicas === 1, ...options });
}

/**
 * What a connection is doing now. `unresponsive`: connected as far as the client knows, but a round
 * trip to the server did not come back in time (a server that hangs, or a link that dropped
 * without closing the socket: the client notices only after missed pings).
 */
export type NatsLinkState = 'connected' | 'reconnecting' | 'unresponsive' | 'draining' | 'closed';

export interface NatsLinkReport {
  state: NatsLinkState;
  /** The round trip of the probe, when it came back. */
  rttMs?: number;
}

/**
 * The state of one NATS connection, from its status events: `nc.isClosed()` alone says
 * "connected" all the while the client is trying to reconnect to a server that is gone.
 * Disconnect, reconnecting and a stale connection mean `reconnecting`; reconnect means `connected`.
 */
export class NatsLinkStatus {
  private connected = true;
  private readonly events: AsyncIterable<Status>;

  /** Follows `nc` from now on: create it while the connection is up (as providers hand it over). */
  constructor(private readonly nc: NatsConnection) {
    this.events = nc.status();
    void this.follow();
  }

  get state(): NatsLinkState {
    if (this.nc.isClosed()) return 'closed';
    if (this.nc.isDraining()) return 'draining';
    return this.connected ? 'connected' : 'reconnecting';
  }

  /**
   * The state, confirmed by a round trip when the client believes it is connected: a flush
   * (PING/PONG) bounded by `timeoutMs`. Never waits longer than that (a flush on a connection that
   * is reconnecting waits for the reconnect, so it is not even tried then).
   */
  async probe(timeoutMs: number): Promise<NatsLinkReport> {
    const state = this.state;
    if (state !== 'connected') return { state };
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const answered = await Promise.race([
      this.nc.flush().then(() => true, () => false),
      new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), timeoutMs); }),
    ]).finally(() => clearTimeout(timer));
    if (!answered) return { state: this.state === 'connected' ? 'unresponsive' : this.state };
    return { state: this.state, rttMs: Math.round((performance.now() - started) * 10) / 10 };
  }

  stop(): void {
    const events = this.events as { stop?: () => void };
    if (typeof events.stop === 'function') events.stop();
  }

  private async follow(): Promise<void> {
    for await (const status of this.events) {
      switch (status.type) {
        case Events.Disconnect:
        case DebugEvents.Reconnecting:
        case DebugEvents.StaleConnection:
          this.connected = false;
          break;
        case Events.Reconnect:
          this.connected = true;
          break;
        default:
      }
    }
  }
}

const links = new WeakMap<NatsConnection, NatsLinkStatus>();

/** The one status follower of `nc` (made on first use; it ends when the connection closes). */
export function natsLink(nc: NatsConnection): NatsLinkStatus {
  let link = links.get(nc);
  if (!link) {
    link = new NatsLinkStatus(nc);
    links.set(nc, link);
  }
  return link;
}
