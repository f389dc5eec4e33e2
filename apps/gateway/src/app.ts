import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { NestLogger, initTracing } from '@cp/observability';
import type { GatewayConfig } from './config';
import { GatewayModule } from './gateway.module';

/** The gateway, listening; `app.close()` stops taking requests and drains NATS. */
export async function startGateway(config: GatewayConfig): Promise<NestFastifyApplication> {
  // On when OTEL_EXPORTER_OTLP_ENDPOINT is set (before the first request is taken).
  initTracing('gateway');
  // trustProxy: TRUST_PROXY (docs/limits.md); requestTimeout: REQUEST_TIMEOUT_MS (Fastify's default is none).
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes, trustProxy: config.trustProxy, requestTimeout: config.limits.requestTimeoutMs, logger: false,
  });
  const app = await NestFactory.create<NestFastifyApplication>(GatewayModule.forRoot(config), adapter, {
    logger: new NestLogger(),
  });
  // useProcessExit: exit 0 once the hooks have run (by default Nest re-sends the signal to itself: exit by SIGTERM, 143).
  app.enableShutdownHooks(undefined, { useProcessExit: true });
  await app.listen(config.port, config.host);
  return app;
}
