import { Inject, Injectable, Logger, Optional, type OnApplicationShutdown, type Provider, type Type } from '@nestjs/common';
import { optionalProvider } from './optional-provider';
import { ModuleRef } from '@nestjs/core';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { NatsConnection } from 'nats';
import { HealthMsg, type Context } from '@cp/contracts';
import type { ServiceConfig } from '@cp/config';
import { createEventStore, positionToString, startProjection, type EventStore, type Loaded, type Projection, type ReadModel } from '@cp/event-store';
import { CALLER_AUTHENTICATOR } from './bus-server';
import type { HandlerOutcome } from './bus-message';
import { CommandRunner } from './command-runner';
import { connectNats, natsLink } from './nats';
import { READ_MODELS, READ_MODEL_HANDLERS, type ManagedReadModel } from './read-model-admin';
import { RemoteAuthenticator } from './remote-authenticator';
import { SERVICE_PROBES, serviceProbes, type ServiceProbesApi } from './service-probes';
import { meteredEventStore, shutdownTracing } from '@cp/observability';
import { UniqueNames } from './unique-names';

/** The service's own NATS connection (event store, KV buckets); the bus transport has its own. */
export const NATS_CONNECTION = Symbol('NATS_CONNECTION');
/** The service's event store (its context's streams), behind the upcasting layer. */
export const EVENT_STORE = Symbol('EVENT_STORE');
/** The ServiceConfig of the service (`serviceConfig(env)` plus the app's own keys). */
export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');
/** Optional: `() => Record<string, unknown>`, the service's own fields in its Health answer. */
export const HEALTH_DETAILS = Symbol('HEALTH_DETAILS');
/** Optional: what must close before the projections, the store and NATS (`{ close(): Promise<void> | void }[]`). */
export const CLOSE_FIRST = Symbol('CLOSE_FIRST');

/** One read model of the service: a provider, projected from the store under `projection`. */
export interface ReadModelSpec {
  /** Its checkpoint name and its name in ReadModelSnapshot (`identity.accounts`). */
  name: string;
  model: Type<ReadModel>;
  /** The token its Projection is provided under. */
  projection: symbol;
  /** A new, empty model of the same kind, for a rebuild beside the live one (`get` resolves providers, e.g. another model). */
  fresh(get: <T>(type: Type<T>) => T): ReadModel;
}

export interface ServiceKitOptions {
  name: string;
  context: Context;
  config: ServiceConfig;
  /** The read models, the first one's position is the service's in Health. None: the module brings its own READ_MODELS. */
  readModels?: readonly ReadModelSpec[];
  /** `remote` (default): callers are resolved by identity-svc; `module`: the module provides CALLER_AUTHENTICATOR itself. */
  authenticator?: 'remote' | 'module';
  /** Whether the service has streams of its own (audit-svc reads every context instead). */
  eventStore?: boolean;
}

export interface Closable {
  close(): Promise<void> | void;
}

/** How long Health waits for the read models' lag (a head read) before answering without it. */
const HEALTH_LAG_TIMEOUT_MS = 1000;

/**
 * Answers `<context>.query.Health` for every service: NATS link state, the first read model's
 * position, each read model's lag behind the log head (`readModels`: as the lag gauges count it;
 * left out when the store does not answer within a second), heap and RSS, and the service's own
 * fields (HEALTH_DETAILS).
 */
@QueryHandler(HealthMsg)
export class HealthHandler implements IQueryHandler<HealthMsg, HandlerOutcome> {
  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(READ_MODELS) private readonly models: ManagedReadModel[],
    @Optional() @Inject(HEALTH_DETAILS) private readonly details: (() => Record<string, unknown>) | null,
    @Optional() @Inject(SERVICE_PROBES) private readonly probes: ServiceProbesApi | null,
  ) {}

  async execute(msg: HealthMsg): Promise<HandlerOutcome> {
    // A collection first only when asked and possible (node --expose-gc): for heap measurements.
    if (msg.gc === true) (globalThis as { gc?: () => void }).gc?.();
    const memory = process.memoryUsage();
    // The service's own connection: the bus connection answering here may be up while it is not.
    const nats = natsLink(this.nc).state;
    const position = this.models[0] ? positionToString(this.models[0].projection.position) : null;
    const readModels = await this.readModels();
    return {
      result: {
        status: nats === 'connected' ? 'ok' : 'degraded', nats, position, ...(readModels ? { readModels } : {}), ...this.details?.(),
        heapUsedBytes: memory.heapUsed, rssBytes: memory.rss,
      },
    };
  }

  private async readModels(): Promise<Array<{ model: string; caughtUp: boolean; lagPositions: number }> | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => { timer = setTimeout(() => resolve(null), HEALTH_LAG_TIMEOUT_MS); });
    try {
      const report = await Promise.race([this.probes?.readModelLag() ?? Promise.resolve(null), timeout]);
      return report ? report.models.map(({ model, caughtUp, lagPositions }) => ({ model, caughtUp, lagPositions })) : null;
    } catch {
      return null;
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * The providers every domain service shares, spread into its module: its config, NATS connection,
 * event store, read models with their projections (READ_MODELS, the read-model admin handlers), the
 * caller authenticator, the Health handler, and one shutdown in order: CLOSE_FIRST, then the
 * projections, the store, NATS.
 */
export function serviceProviders(options: ServiceKitOptions): Provider[] {
  const { config, context, name } = options;
  const specs = options.readModels ?? [];
  const providers: Provider[] = [
    { provide: SERVICE_CONFIG, useValue: config },
    { provide: NATS_CONNECTION, useFactory: () => connectNats(config.natsUrl, name) },
    HealthHandler,
    serviceLifecycle(specs),
    { provide: SERVICE_PROBES, useClass: serviceProbes(name, context, { config: SERVICE_CONFIG, nats: NATS_CONNECTION, store: EVENT_STORE }) },
    // Names unique across the service's replicas (accounts, virtual IDs, platforms per owner).
    { provide: UniqueNames, inject: [NATS_CONNECTION], useFactory: (nc: NatsConnection) => UniqueNames.open(nc) },
  ];
  if (options.eventStore !== false) {
    providers.push({ provide: EVENT_STORE, inject: [NATS_CONNECTION], useFactory: async (nc: NatsConnection) => meteredEventStore(await createEventStore(config.eventStore, nc, context), context) });
  }
  for (const spec of specs) {
    providers.push(spec.model, {
      provide: spec.projection,
      inject: [EVENT_STORE, spec.model, NATS_CONNECTION],
      useFactory: (store: EventStore, model: ReadModel, nc: NatsConnection) => startProjection(store, model, nc, config.eventStore, spec.name),
    });
  }
  if (specs.length > 0) {
    providers.push(...READ_MODEL_HANDLERS, {
      provide: READ_MODELS,
      inject: [ModuleRef, ...specs.map((s) => s.projection)],
      useFactory: (ref: ModuleRef, ...projections: Projection[]): ManagedReadModel[] => specs.map((spec, i) => ({
        name: spec.name, projection: projections[i], fresh: () => spec.fresh((type) => ref.get(type, { strict: false })),
      })),
    });
  }
  if (options.authenticator !== 'module') {
    providers.push({
      provide: CALLER_AUTHENTICATOR, inject: [NATS_CONNECTION],
      useFactory: (nc: NatsConnection) => new RemoteAuthenticator(nc, config.authTimeoutMs),
    });
  }
  return providers;
}

function serviceLifecycle(specs: readonly ReadModelSpec[]): Type<OnApplicationShutdown> {
  @Injectable()
  class ServiceLifecycle implements OnApplicationShutdown {
    private readonly log = new Logger('ServiceLifecycle');

    constructor(private readonly ref: ModuleRef, @Inject(NATS_CONNECTION) private readonly nc: NatsConnection) {}

    async onApplicationShutdown(): Promise<void> {
      for (const closable of this.optional<Closable[]>(CLOSE_FIRST) ?? []) {
        await Promise.resolve(closable.close()).catch((error) => this.log.warn(`close failed: ${(error as Error).message}`));
      }
      // Later models may read earlier ones (access keys read accounts): stopped in reverse.
      for (const spec of [...specs].reverse()) await this.ref.get<symbol, Projection>(spec.projection, { strict: false }).stop();
      await this.optional<EventStore>(EVENT_STORE)?.close();
      if (!this.nc.isClosed()) await this.nc.drain();
      // The last spans, exported before the process ends.
      await shutdownTracing();
    }

    private optional<T>(token: symbol): T | undefined {
      return optionalProvider<T>(this.ref, token);
    }
  }
  return ServiceLifecycle;
}

/** What the command cycle needs of an aggregate: its streams, its pure `evolve`, and the read model that holds its states. */
export interface AggregateBinding<S, E> {
  streamId(uuid: string): string;
  evolve(state: S | null, event: E): S | null;
  model: Type<{ loaded(uuid: string): Loaded<S> | undefined }>;
  /** The token of the model's Projection (read-your-writes after an append). */
  projection: symbol;
}

/**
 * The injectable command cycle of one aggregate: `class AccountCommands extends AggregateCommands({...}) {}`
 * binds CommandRunner to the service's store, the aggregate's projection and read model.
 */
export function AggregateCommands<S, E extends { type: string; data: object }>(binding: AggregateBinding<S, E>): Type<CommandRunner<S, E>> {
  @Injectable()
  class Commands extends CommandRunner<S, E> {
    constructor(
      @Inject(EVENT_STORE) store: EventStore,
      @Inject(binding.projection) projection: Projection,
      @Inject(binding.model) model: InstanceType<AggregateBinding<S, E>['model']>,
      @Inject(SERVICE_CONFIG) config: ServiceConfig,
    ) {
      super(store, projection, { streamId: binding.streamId, evolve: binding.evolve, loaded: (uuid) => model.loaded(uuid) }, config.readYourWritesTimeoutMs);
    }
  }
  return Commands;
}
