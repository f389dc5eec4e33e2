import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { createAppLogger } from '@cp/bus';
import type { GatewayConfig } from './config';
import { GatewayModule } from './gateway.module';

/** The gateway, listening; `app.close()` stops taking requests and drains NATS. */
export async function startGateway(config: GatewayConfig): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: config.bodyLimitBytes, trustProxy: true, logger: false });
  const app = await NestFactory.create<NestFastifyApplication>(GatewayModule.forRoot(config), adapter, {
    logger: createAppLogger(),
  });
  // useProcessExit: exit 0 once the hooks have run (by default Nest re-sends the signal to itself: exit by SIGTERM, 143).
  app.enableShutdownHooks(undefined, { useProcessExit: true });
  await app.listen(config.port, config.host);
  return app;
}
