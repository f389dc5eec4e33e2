import { Controller, Inject } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { healthSubject } from '@cp/contracts';
import type { NatsConnection } from 'nats';
import { natsLink, type BusMessage, type HandlerOutcome, type NatsLinkStatus } from '@cp/bus';
import { positionToString, Projection } from '@cp/event-store';
import { AccountReadModel } from '@cp/read-models/identity';
import { ACCOUNT_PROJECTION, NATS_CONNECTION } from './tokens';

@Controller()
export class HealthHandler {
  /** The service's own connection (event store, KV): the bus connection answering here may be up while it is not. */
  private readonly link: NatsLinkStatus;

  constructor(
    @Inject(NATS_CONNECTION) nc: NatsConnection,
    @Inject(ACCOUNT_PROJECTION) private readonly projection: Projection,
    private readonly accounts: AccountReadModel,
  ) {
    this.link = natsLink(nc);
  }

  @MessagePattern(healthSubject('identity'))
  handle(msg: BusMessage): HandlerOutcome {
    // A collection first only when asked and possible (node --expose-gc): for heap measurements.
    if (msg.payload.gc === true) (globalThis as { gc?: () => void }).gc?.();
    const memory = process.memoryUsage();
    const nats = this.link.state;
    return {
      result: {
        status: nats === 'connected' ? 'ok' : 'degraded', nats, position: positionToString(this.projection.position), accounts: this.accounts.size,
        heapUsedBytes: memory.heapUsed, rssBytes: memory.rss,
      },
    };
  }
}
