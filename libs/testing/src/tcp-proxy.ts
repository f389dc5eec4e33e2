import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 for fault tests: `freeze()` stops forwarding in both directions while
 * keeping every socket open, as a server that hangs or a link that stalls without closing (the
 * client believes it is connected and hears nothing); `thaw()` forwards what waited, in order.
 */
export class FreezableProxy {
  private frozen = false;
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: Server, readonly port: number) {}

  static async start(targetPort: number): Promise<FreezableProxy> {
    let proxy!: FreezableProxy;
    const server = createServer((client) => {
      const upstream = connect(targetPort, '127.0.0.1');
      proxy.track(client);
      proxy.track(upstream);
      const forward = (from: Socket, to: Socket): void => {
        from.on('data', (chunk) => to.write(chunk));
        if (proxy.frozen) from.pause();
        from.on('close', () => to.destroy());
        from.on('error', () => to.destroy());
      };
      forward(client, upstream);
      forward(upstream, client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    proxy = new FreezableProxy(server, typeof address === 'object' && address ? address.port : 0);
    return proxy;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  /** Holds back whatever either side sends from now on (the sockets stay open). */
  freeze(): void {
    this.frozen = true;
    for (const socket of this.sockets) socket.pause();
  }

  thaw(): void {
    this.frozen = false;
    for (const socket of this.sockets) socket.resume();
  }

  /** Drops every connection (both sides see it closed) and keeps listening: the clients reconnect through it. */
  dropConnections(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
  }
}
