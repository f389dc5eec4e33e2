import { Controller, Inject } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { healthSubject } from '@cp/contracts';
import type { BusMessage, HandlerOutcome } from '@cp/bus';
import { positionToString, Projection } from '@cp/event-store';
import { TemplateReadModel } from './templates/template.read-model';
import { TEMPLATE_PROJECTION } from './tokens';

@Controller()
export class HealthHandler {
  constructor(
    @Inject(TEMPLATE_PROJECTION) private readonly projection: Projection,
    private readonly templates: TemplateReadModel,
  ) {}

  @MessagePattern(healthSubject('baremetal'))
  handle(msg: BusMessage): HandlerOutcome {
    // A collection first only when asked and possible (node --expose-gc): for heap measurements.
    if (msg.payload.gc === true) (globalThis as { gc?: () => void }).gc?.();
    const memory = process.memoryUsage();
    return {
      result: {
        status: 'ok', position: positionToString(this.projection.position), templates: this.templates.size,
        distinctContents: this.templates.distinctContents, heapUsedBytes: memory.heapUsed, rssBytes: memory.rss,
      },
    };
  }
}
