import { Controller, Inject } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { healthSubject } from '@cp/contracts';
import type { BusMessage, HandlerOutcome } from '@cp/bus';
import { positionToString, Projection } from '@cp/event-store';
import { HealthMonitor } from './health/health-monitor';
import { MonitorLease } from './health/monitor-lease';
import { PlatformReadModel } from './platforms/platform.read-model';
import { PLATFORM_PROJECTION } from './tokens';

@Controller()
export class HealthHandler {
  constructor(
    @Inject(PLATFORM_PROJECTION) private readonly projection: Projection,
    private readonly platforms: PlatformReadModel,
    private readonly monitor: HealthMonitor,
    private readonly lease: MonitorLease,
  ) {}

  @MessagePattern(healthSubject('platform'))
  handle(msg: BusMessage): HandlerOutcome {
    if (msg.payload.gc === true) (globalThis as { gc?: () => void }).gc?.();
    const memory = process.memoryUsage();
    return {
      result: {
        status: 'ok', position: positionToString(this.projection.position), platforms: this.platforms.all().length,
        monitor: { leader: this.lease.held, ...this.monitor.stats },
        heapUsedBytes: memory.heapUsed, rssBytes: memory.rss,
      },
    };
  }
}
