import { Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import { CALLER_AUTHENTICATOR, READ_MODELS, READ_MODEL_HANDLERS, RemoteAuthenticator, connectNats } from '@cp/bus';
import { readKeyFile } from '@cp/crypto';
import { createEventStore, startProjection, type EventStore, type Projection } from '@cp/event-store';
import { PlatformReadModel } from '@cp/read-models/platform';
import { PLATFORM_CONFIG, type PlatformConfig } from './config';
import { PlatformConnector } from './connector/platform-connector';
import { CredentialVault } from './credentials/credential-vault';
import { HealthHandler } from './health.handler';
import { HealthMonitor } from './health/health-monitor';
import { MonitorLease } from './health/monitor-lease';
import { ProbeStore } from './health/probe.store';
import { CreatePlatformHandler } from './platforms/create-platform/create-platform.handler';
import { DeletePlatformHandler } from './platforms/delete-platform/delete-platform.handler';
import { GetPlatformHandler } from './platforms/get-platform/get-platform.handler';
import { GetPlatformHealthHistoryHandler } from './platforms/get-platform-health-history/get-platform-health-history.handler';
import { ListPlatformsHandler } from './platforms/list-platforms/list-platforms.handler';
import { PlatformCommands } from './platforms/platform-commands';
import { RotatePlatformKeysHandler } from './platforms/rotate-platform-keys/rotate-platform-keys.handler';
import { TestConnectionDetailedHandler } from './platforms/test-connection-detailed/test-connection-detailed.handler';
import { TestPlatformConnectionHandler } from './platforms/test-platform-connection/test-platform-connection.handler';
import { UpdatePlatformHandler } from './platforms/update-platform/update-platform.handler';
import { EVENT_STORE, NATS_CONNECTION, PLATFORM_PROJECTION } from './tokens';

/** Closes what the service holds, in order, on shutdown (after the monitor has stopped). */
@Injectable()
class PlatformLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PLATFORM_PROJECTION) private readonly projection: Projection,
    private readonly probes: ProbeStore,
    private readonly monitor: HealthMonitor,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.monitor.onApplicationShutdown();
    await this.projection.stop();
    this.probes.close();
    await this.store.close();
    if (!this.nc.isClosed()) await this.nc.drain();
  }
}

@Module({})
export class PlatformModule {
  static forRoot(config: PlatformConfig): DynamicModule {
    return {
      module: PlatformModule,
      providers: [
        // One handler per API of the registry's `platform` context (the service refuses to start without one).
        CreatePlatformHandler, UpdatePlatformHandler, DeletePlatformHandler, ListPlatformsHandler, GetPlatformHandler,
        GetPlatformHealthHistoryHandler, TestConnectionDetailedHandler, TestPlatformConnectionHandler, RotatePlatformKeysHandler,
        HealthHandler, ...READ_MODEL_HANDLERS,
        { provide: PLATFORM_CONFIG, useValue: config },
        { provide: NATS_CONNECTION, useFactory: () => connectNats(config.natsUrl, 'platform-svc') },
        {
          provide: EVENT_STORE,
          inject: [NATS_CONNECTION],
          useFactory: (nc: NatsConnection) => createEventStore(config.eventStore, nc, 'platform'),
        },
        PlatformReadModel,
        {
          provide: PLATFORM_PROJECTION,
          inject: [EVENT_STORE, PlatformReadModel, NATS_CONNECTION],
          useFactory: (store: EventStore, model: PlatformReadModel, nc: NatsConnection) => startProjection(store, model, nc, config.eventStore, 'platform.platforms'),
        },
        {
          provide: CALLER_AUTHENTICATOR,
          inject: [NATS_CONNECTION],
          useFactory: (nc: NatsConnection) => new RemoteAuthenticator(nc, config.authTimeoutMs),
        },
        {
          provide: CredentialVault,
          inject: [NATS_CONNECTION],
          useFactory: (nc: NatsConnection) => CredentialVault.open(nc, config.keyRing, config.keysFile ? () => readKeyFile(config.keysFile!) : undefined),
        },
        { provide: ProbeStore, inject: [NATS_CONNECTION], useFactory: (nc: NatsConnection) => ProbeStore.open(nc) },
        {
          provide: MonitorLease,
          inject: [NATS_CONNECTION],
          // The lease outlives three probe intervals, at least 3 s: a dead holder is replaced within that.
          useFactory: (nc: NatsConnection) => MonitorLease.open(nc, Math.max(3 * config.probeIntervalMs, 3000)),
        },
        PlatformConnector,
        PlatformCommands,
        {
          provide: READ_MODELS,
          inject: [PLATFORM_PROJECTION],
          useFactory: (projection: Projection) => [{ name: 'platform.platforms', projection, fresh: () => new PlatformReadModel() }],
        },
        HealthMonitor,
        PlatformLifecycle,
      ],
    };
  }
}
