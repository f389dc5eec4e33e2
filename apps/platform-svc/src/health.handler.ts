import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { HealthMsg } from '@cp/contracts';
import type { NatsConnection } from 'nats';
import { natsLink, type HandlerOutcome, type NatsLinkStatus } from '@cp/bus';
import { positionToString, Projection } from '@cp/event-store';
import { PlatformReadModel } from '@cp/read-models/platform';
import { HealthMonitor } from './health/health-monitor';
import { MonitorLease } from './health/monitor-lease';
import { PLATFORM_PROJECTION, NATS_CONNECTION } from './tokens';

@QueryHandler(HealthMsg)
export class HealthHandler implements IQueryHandler<HealthMsg, HandlerOutcome> {
  /** The service's own connection (event store, KV): the bus connection answering here may be up while it is not. */
  private readonly link: NatsLinkStatus;

  constructor(
    @Inject(NATS_CONNECTION) nc: NatsConnection,
    @Inject(PLATFORM_PROJECTION) private readonly projection: Projection,
    private readonly platforms: PlatformReadModel,
    private readonly monitor: HealthMonitor,
    private readonly lease: MonitorLease,
  ) {
    this.link = natsLink(nc);
  }

  async execute(msg: HealthMsg): Promise<HandlerOutcome> {
    // A collection first only when asked and possible (node --expose-gc): for heap measurements.
    if (msg.gc === true) (globalThis as { gc?: () => void }).gc?.();
    const memory = process.memoryUsage();
    const nats = this.link.state;
    return {
      result: {
        status: nats === 'connected' ? 'ok' : 'degraded', nats, position: positionToString(this.projection.position), platforms: this.platforms.all().length,
        monitor: { leader: this.lease.held, ...this.monitor.stats },
        heapUsedBytes: memory.heapUsed, rssBytes: memory.rss,
      },
    };
  }
}
