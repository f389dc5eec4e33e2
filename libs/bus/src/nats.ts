import { connect, type ConnectionOptions, type NatsConnection } from 'nats';

/**
 * Every NATS connection of ours: reconnects forever (a restart of nats-server must not need a
 * restart of our processes), with a name that shows in the server's monitoring.
 */
export function connectNats(servers: string, name: string, extra: Partial<ConnectionOptions> = {}): Promise<NatsConnection> {
  return connect({
    servers: servers.split(','),
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    pingInterval: 10_000,
    ...extra,
  });
}
