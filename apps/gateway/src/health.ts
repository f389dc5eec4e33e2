import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import type { NatsConnection } from 'nats';
import { CONTEXTS, healthSubject, type BusReply } from '@cp/contracts';
import { BusClient } from '@cp/bus';
import { BUS_CLIENT, NATS_CONNECTION } from './tokens';

const PROBE_TIMEOUT_MS = 2000;

/**
 * `GET /health`: 200 when NATS is connected and every domain service answers its health subject,
 * 503 otherwise, with each part's state so an operator sees which one is down.
 */
@Injectable()
export class HealthRoute implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(BUS_CLIENT) private readonly bus: BusClient,
  ) {}

  onModuleInit(): void {
    const app = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    app.get('/health', async (_req, reply) => {
      const report = await this.check();
      return reply.code(report.status === 'ok' ? 200 : 503).type('application/json; charset=utf-8').send(JSON.stringify(report));
    });
  }

  async check(): Promise<{ status: 'ok' | 'degraded'; nats: string; services: Record<string, unknown> }> {
    const nats = this.nc.isClosed() ? 'closed' : 'connected';
    const services: Record<string, unknown> = {};
    await Promise.all(CONTEXTS.map(async (context) => {
      try {
        const commandId = randomUUID().replace(/-/g, '');
        const reply: BusReply = await this.bus.request(healthSubject(context), { commandId, payload: {} }, PROBE_TIMEOUT_MS);
        services[context] = reply.ok ? reply.result : { status: 'error', error: reply.error };
      } catch (error) {
        services[context] = { status: 'unavailable', details: (error as Error).message };
      }
    }));
    const healthy = nats === 'connected' && Object.values(services).every((s) => (s as { status?: string }).status === 'ok');
    return { status: healthy ? 'ok' : 'degraded', nats, services };
  }
}
