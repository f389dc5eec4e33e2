import { Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import { CALLER_AUTHENTICATOR, READ_MODELS, READ_MODEL_HANDLERS, RemoteAuthenticator, connectNats } from '@cp/bus';
import { createEventStore, startProjection, type EventStore, type Projection } from '@cp/event-store';
import { TemplateReadModel } from '@cp/read-models/baremetal';
import { BAREMETAL_CONFIG, type BaremetalConfig } from './config';
import { HealthHandler } from './health.handler';
import { AddPreconfigurationTemplateHandler } from './templates/add-preconfiguration-template/add-preconfiguration-template.handler';
import { ChangePreconfigurationTemplateStateHandler } from './templates/change-preconfiguration-template-state/change-preconfiguration-template-state.handler';
import { DeletePreconfigurationTemplateHandler } from './templates/delete-preconfiguration-template/delete-preconfiguration-template.handler';
import { PredefinedTemplatesBootstrap } from './templates/predefined-bootstrap';
import { QueryPreconfigurationTemplateHandler } from './templates/query-preconfiguration-template/query-preconfiguration-template.handler';
import { RenderPreconfigurationTemplateHandler } from './templates/render-preconfiguration-template/render-preconfiguration-template.handler';
import { TemplateCommands } from './templates/template-commands';
import { UpdatePreconfigurationTemplateHandler } from './templates/update-preconfiguration-template/update-preconfiguration-template.handler';
import { EVENT_STORE, NATS_CONNECTION, TEMPLATE_PROJECTION } from './tokens';

/** Closes what the service holds, in order, on shutdown. */
@Injectable()
class BaremetalLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(TEMPLATE_PROJECTION) private readonly projection: Projection,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.projection.stop();
    await this.store.close();
    if (!this.nc.isClosed()) await this.nc.drain();
  }
}

@Module({})
export class BaremetalModule {
  static forRoot(config: BaremetalConfig): DynamicModule {
    return {
      module: BaremetalModule,
      providers: [
        // One handler per API of the registry's `baremetal` context (the service refuses to start without one).
        AddPreconfigurationTemplateHandler, UpdatePreconfigurationTemplateHandler, ChangePreconfigurationTemplateStateHandler,
        DeletePreconfigurationTemplateHandler, QueryPreconfigurationTemplateHandler, RenderPreconfigurationTemplateHandler,
        HealthHandler, ...READ_MODEL_HANDLERS,
        { provide: BAREMETAL_CONFIG, useValue: config },
        { provide: NATS_CONNECTION, useFactory: () => connectNats(config.natsUrl, 'baremetal-svc') },
        {
          provide: EVENT_STORE,
          inject: [NATS_CONNECTION],
          useFactory: (nc: NatsConnection) => createEventStore(config.eventStore, nc, 'baremetal'),
        },
        TemplateReadModel,
        {
          provide: TEMPLATE_PROJECTION,
          inject: [EVENT_STORE, TemplateReadModel, NATS_CONNECTION],
          useFactory: (store: EventStore, model: TemplateReadModel, nc: NatsConnection) => startProjection(store, model, nc, config.eventStore, 'baremetal.templates'),
        },
        {
          provide: CALLER_AUTHENTICATOR,
          inject: [NATS_CONNECTION],
          useFactory: (nc: NatsConnection) => new RemoteAuthenticator(nc, config.authTimeoutMs),
        },
        TemplateCommands,
        {
          provide: READ_MODELS,
          inject: [TEMPLATE_PROJECTION],
          useFactory: (projection: Projection) => [{ name: 'baremetal.templates', projection, fresh: () => new TemplateReadModel() }],
        },
        PredefinedTemplatesBootstrap,
        BaremetalLifecycle,
      ],
    };
  }
}
