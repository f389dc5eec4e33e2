import { Module, type DynamicModule } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import { CONTEXTS, type Context } from '@cp/contracts';
import { CLOSE_FIRST, HEALTH_DETAILS, NATS_CONNECTION, READ_MODELS, serviceProviders, type Closable, type ManagedReadModel } from '@cp/bus';
import { Projection, createEventStore, createLogReader, type EventStore } from '@cp/event-store';
import { AuditLog } from './audit-log';
import { AUDIT_CONFIG, type AuditConfig } from './config';
import { GetResourceAsOfHandler } from './get-resource-as-of/get-resource-as-of.handler';
import { GetResourceHistoryHandler } from './get-resource-history/get-resource-history.handler';
import { OwnershipIndex } from './ownership-index';
import { QueryAuditEventsHandler } from './query-audit-events/query-audit-events.handler';
import { ALL_EVENTS, OWNERSHIP_PROJECTION } from './tokens';

/**
 * audit-svc: reads the whole log (every context) and answers the Audit API, on the configured event
 * store (EVENT_STORE), through the port: a reader over every context (JetStream `events.*.>`,
 * EventStoreDB `$all` filtered on the server) and each context's store for a resource's stream.
 */
@Module({})
export class AuditModule {
  static forRoot(config: AuditConfig): DynamicModule {
    return {
      module: AuditModule,
      providers: [
        // No event store of its own: it reads every context's log (ALL_EVENTS) and keeps one index.
        ...serviceProviders({ name: 'audit-svc', context: 'audit', config, eventStore: false }),
        // One handler per API of the registry's `audit` context (the service refuses to start without one).
        QueryAuditEventsHandler, GetResourceHistoryHandler, GetResourceAsOfHandler,
        { provide: AUDIT_CONFIG, useValue: config },
        {
          provide: ALL_EVENTS,
          inject: [NATS_CONNECTION],
          // The audit may be the first process up: on JetStream the stream is made (or checked) here too.
          useFactory: (nc: NatsConnection) => createLogReader(config.eventStore, nc),
        },
        OwnershipIndex,
        {
          provide: OWNERSHIP_PROJECTION,
          inject: [ALL_EVENTS, OwnershipIndex],
          useFactory: async (all: EventStore, index: OwnershipIndex) => {
            const projection = new Projection(all, index);
            await projection.start();
            return projection;
          },
        },
        {
          provide: AuditLog,
          inject: [NATS_CONNECTION, ALL_EVENTS, OwnershipIndex],
          useFactory: async (nc: NatsConnection, all: EventStore, index: OwnershipIndex) => {
            const byContext = Object.fromEntries(await Promise.all(
              CONTEXTS.filter((c) => c !== 'audit').map(async (c) => [c, await createEventStore(config.eventStore, nc, c)] as const),
            )) as Record<Context, EventStore>;
            return new AuditLog(all, byContext, index);
          },
        },
        {
          // What the pipeline waits on for read-your-writes. No READ_MODEL_HANDLERS: the registry
          // declares no ReadModelSnapshot / RebuildReadModels for audit (the log is its own truth).
          provide: READ_MODELS,
          inject: [OWNERSHIP_PROJECTION],
          useFactory: (projection: Projection): ManagedReadModel[] => [{ name: 'audit.ownership', projection, fresh: () => new OwnershipIndex() }],
        },
        { provide: HEALTH_DETAILS, inject: [OwnershipIndex], useFactory: (owners: OwnershipIndex) => () => ({ resources: owners.size }) },
        {
          // The projection stops first, then the stores close (their connections with them), then NATS drains.
          provide: CLOSE_FIRST, inject: [OWNERSHIP_PROJECTION, AuditLog],
          useFactory: (projection: Projection, log: AuditLog): Closable[] => [{ close: () => projection.stop() }, log],
        },
      ],
    };
  }
}
