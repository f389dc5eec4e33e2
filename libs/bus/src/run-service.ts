import { Logger, Module, type DynamicModule, type INestMicroservice, type Type } from '@nestjs/common';
import { ModulesContainer, NestFactory } from '@nestjs/core';
import { CommandBus, CqrsModule, QueryBus } from '@nestjs/cqrs';
import type { ApiEntry, Context } from '@cp/contracts';
import { BusServer, CALLER_AUTHENTICATOR, type CallerAuthenticator } from './bus-server';
import type { ServiceConfig } from '@cp/config';
import { JOB_SEALER, type JobSealer } from './job-secrets';
import { SERVICE_CONFIG } from './service-kit';
import { NestLogger, initTracing, nameLogs } from '@cp/observability';
import { READ_MODELS, type ManagedReadModel } from './read-model-admin';
import { SERVICE_PROBES, type ServiceProbesApi } from './service-probes';

export interface ServiceOptions {
  context: Context;
  name: string;
  /**
   * The service's module, built on serviceProviders(...): its SERVICE_CONFIG (NATS_URL, JOB_TTL_SEC,
   * READ_YOUR_WRITES_TIMEOUT_MS), handlers, read models, CALLER_AUTHENTICATOR, and a JOB_SEALER when
   * job outcomes hold secrets (identity-svc's master key ring).
   */
  module: Type | DynamicModule;
  /** The APIs to answer: the registry's for `context` unless given (tests of the transport). */
  apis?: readonly ApiEntry[];
  logger?: false;
}

/** A provider of the app, or undefined when its module gives none. */
function optional<T>(app: INestMicroservice, token: symbol): T | undefined {
  // Looked up in the modules first: app.get of a missing token logs an error before it throws.
  const provided = [...app.get(ModulesContainer).values()].some((module) => module.providers.has(token));
  return provided ? app.get<symbol, T>(token, { strict: false }) : undefined;
}

@Module({})
class ServiceRootModule {}

/**
 * Starts a domain service on the bus: its module under @nestjs/cqrs (the in-process router of its
 * handlers), its read models caught up (module init), then the bus transport subscribes to the
 * registry's subjects of its context and takes requests.
 */
export async function startService(options: ServiceOptions): Promise<INestMicroservice> {
  // On when OTEL_EXPORTER_OTLP_ENDPOINT is set (the first app of a process names its traces).
  initTracing(options.name);
  const server = new BusServer({ context: options.context, name: options.name, apis: options.apis });
  const root: DynamicModule = { module: ServiceRootModule, imports: [CqrsModule.forRoot(), options.module] };
  // abortOnError false: a start-up failure is thrown to the caller (runService exits 1 with its text) instead of Nest exiting the process.
  const app = await NestFactory.createMicroservice(root, { strategy: server, logger: options.logger ?? new NestLogger(), abortOnError: false });
  // On SIGTERM/SIGINT: the transport closes first (no new requests, in-flight commands finish and
  // record their jobs, NATS drained), then the service's shutdown hooks; then exit 0. Nest's default
  // re-raises the signal once done, which ends the process by the signal (143), not by itself.
  app.enableShutdownHooks(undefined, { useProcessExit: true });
  server.usePipeline(() => {
    const config = app.get<symbol, ServiceConfig>(SERVICE_CONFIG, { strict: false });
    const models = optional<ManagedReadModel[]>(app, READ_MODELS) ?? [];
    const readYourWritesTimeoutMs = config.readYourWritesTimeoutMs;
    return {
      servers: config.natsUrl,
      jobTtlMs: config.jobTtlMs,
      jobSealer: optional<JobSealer>(app, JOB_SEALER),
      commands: app.get(CommandBus),
      queries: app.get(QueryBus),
      authenticator: optional<CallerAuthenticator>(app, CALLER_AUTHENTICATOR),
      caughtUp: (position) => Promise.all(models.map(({ projection }) => projection.waitFor(position, readYourWritesTimeoutMs))),
    };
  });
  try {
    await app.listen();
    optional<ServiceProbesApi>(app, SERVICE_PROBES)?.attachBus(server.unwrap());
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
  return app;
}

/** `main` of a domain service: start, report, and exit non-zero on a start-up failure. */
export async function runService(options: ServiceOptions): Promise<void> {
  nameLogs(options.name);
  const log = new Logger(options.name);
  try {
    const app = await startService(options);
    log.log(`${options.name} ready on ${app.get<symbol, ServiceConfig>(SERVICE_CONFIG, { strict: false }).natsUrl}`);
  } catch (error) {
    log.error(`${options.name} could not start: ${(error as Error).message}`);
    process.exit(1);
  }
}
