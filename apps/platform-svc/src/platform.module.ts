import { Module, type DynamicModule } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import { CLOSE_FIRST, HEALTH_DETAILS, NATS_CONNECTION, serviceProviders, type Closable } from '@cp/bus';
import { readKeyFile } from '@cp/crypto';
import { PlatformReadModel } from '@cp/read-models/platform';
import { PLATFORM_CONFIG, type PlatformConfig } from './config';
import { PlatformConnector } from './connector/platform-connector';
import { CredentialVault } from './credentials/credential-vault';
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
import { PLATFORM_PROJECTION } from './tokens';

@Module({})
export class PlatformModule {
  static forRoot(config: PlatformConfig): DynamicModule {
    return {
      module: PlatformModule,
      providers: [
        ...serviceProviders({
          name: 'platform-svc', context: 'platform', config,
          readModels: [{ name: 'platform.platforms', model: PlatformReadModel, projection: PLATFORM_PROJECTION, fresh: () => new PlatformReadModel() }],
        }),
        // One handler per API of the registry's `platform` context (the service refuses to start without one).
        CreatePlatformHandler, UpdatePlatformHandler, DeletePlatformHandler, ListPlatformsHandler, GetPlatformHandler,
        GetPlatformHealthHistoryHandler, TestConnectionDetailedHandler, TestPlatformConnectionHandler, RotatePlatformKeysHandler,
        { provide: PLATFORM_CONFIG, useValue: config },
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
        HealthMonitor,
        {
          provide: HEALTH_DETAILS, inject: [PlatformReadModel, HealthMonitor, MonitorLease],
          useFactory: (platforms: PlatformReadModel, monitor: HealthMonitor, lease: MonitorLease) => () => ({
            platforms: platforms.all().length, monitor: { leader: lease.held, ...monitor.stats },
          }),
        },
        {
          // The monitor stops (and releases its lease) and the probe store closes before the store and NATS.
          provide: CLOSE_FIRST, inject: [HealthMonitor, ProbeStore],
          useFactory: (monitor: HealthMonitor, probes: ProbeStore): Closable[] => [{ close: () => monitor.onApplicationShutdown() }, probes],
        },
      ],
    };
  }
}
