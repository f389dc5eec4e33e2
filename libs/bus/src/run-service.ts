import { Catch, Logger, type DynamicModule, type INestMicroservice, type RpcExceptionFilter, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { throwError, type Observable } from 'rxjs';
import type { Context } from '@cp/contracts';
import { BusServer } from './bus-server';
import type { JobSealer } from './job-secrets';
import { createAppLogger } from './logger';

export interface ServiceOptions {
  context: Context;
  name: string;
  natsUrl: string;
  jobTtlMs?: number;
  /** Seals the secrets shown once in job outcomes (identity-svc's master key ring). */
  jobSealer?: JobSealer;
  module: Type | DynamicModule;
  logger?: false;
}

/**
 * Nest's default RPC filter turns every error into `{status: 'error', message: 'Internal server
 * error'}`; the bus transport maps errors itself (ZStack codes, no leaked text), so it needs them as
 * they were thrown.
 */
@Catch()
class RethrowFilter implements RpcExceptionFilter {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}

/** Starts a domain service on the bus: its read models catch up first, then it takes requests. */
export async function startService(options: ServiceOptions): Promise<INestMicroservice> {
  const app = await NestFactory.createMicroservice(options.module, {
    strategy: new BusServer({
      servers: options.natsUrl, context: options.context, name: options.name, jobTtlMs: options.jobTtlMs, jobSealer: options.jobSealer,
    }),
    logger: options.logger ?? createAppLogger(),
  });
  app.useGlobalFilters(new RethrowFilter());
  app.enableShutdownHooks();
  await app.listen();
  return app;
}

/** `main` of a domain service: start, report, and exit non-zero on a start-up failure. */
export async function runService(options: ServiceOptions): Promise<void> {
  const log = new Logger(options.name);
  try {
    await startService(options);
    log.log(`${options.name} ready on ${options.natsUrl}`);
  } catch (error) {
    log.error(`${options.name} could not start: ${(error as Error).message}`);
    process.exit(1);
  }
}
