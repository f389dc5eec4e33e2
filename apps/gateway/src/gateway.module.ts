import { Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import { BusClient, JobStore, connectNats, openKv } from '@cp/bus';
import { shutdownTracing } from '@cp/observability';
import { GATEWAY_CONFIG, type GatewayConfig } from './config';
import { ConsoleRoutes } from './console/console-routes';
import { HealthRoute } from './health';
import { ObservabilityRoutes } from './observability/observability-routes';
import { OpenApiRoutes } from './openapi/openapi-routes';
import { RequestTracking } from './request-tracking';
import { AbuseLimits } from './limits/abuse-limits';
import { BUS_CLIENT, JOB_STORE, NATS_CONNECTION } from './tokens';
import { ZStackApi } from './zstack/zstack-api';
import { ZStackRoutes } from './zstack/zstack-routes';
import { RestApiRoutes } from './rest-api/rest-api-routes';
import { SESSION_POSITIONS_BUCKET, SessionPositions } from './zstack/session-positions';

/** How long a session's shared positions are kept after its last write (longer than a session lives idle). */
const SESSION_POSITIONS_TTL_MS = 24 * 3600 * 1000;

@Injectable()
class NatsShutdown implements OnApplicationShutdown {
  constructor(@Inject(NATS_CONNECTION) private readonly nc: NatsConnection) {}

  async onApplicationShutdown(): Promise<void> {
    if (!this.nc.isClosed()) await this.nc.drain();
    // The last spans, exported before the process ends.
    await shutdownTracing();
  }
}

@Module({})
export class GatewayModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: GatewayModule,
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        { provide: NATS_CONNECTION, useFactory: () => connectNats(config.natsUrl, 'gateway') },
        { provide: BUS_CLIENT, inject: [NATS_CONNECTION], useFactory: (nc: NatsConnection) => new BusClient(nc) },
        { provide: JOB_STORE, inject: [NATS_CONNECTION], useFactory: (nc: NatsConnection) => JobStore.open(nc, config.jobTtlMs) },
        {
          provide: SessionPositions, inject: [NATS_CONNECTION],
          useFactory: async (nc: NatsConnection) => new SessionPositions(100_000,
            config.sharedSessionPositions ? await openKv(nc, SESSION_POSITIONS_BUCKET, { ttl: SESSION_POSITIONS_TTL_MS }) : null),
        },
        ZStackApi,
        ZStackRoutes,
        RestApiRoutes,
        HealthRoute,
        RequestTracking,
        AbuseLimits,
        ObservabilityRoutes,
        OpenApiRoutes,
        ConsoleRoutes,
        NatsShutdown,
      ],
    };
  }
}
