import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import type { NatsConnection } from 'nats';
import { CONTEXTS, healthSubject, type BusReply } from '@cp/contracts';
import { BusClient, natsLink, type NatsLinkState, type NatsLinkStatus } from '@cp/bus';
import { BUS_CLIENT, NATS_CONNECTION } from './tokens';

const PROBE_TIMEOUT_MS = 2000;
/** A round trip to nats-server takes well under a millisecond on a healthy link. */
const NATS_PROBE_TIMEOUT_MS = 1000;

export interface HealthReport {
  status: 'ok' | 'degraded';
  /** The gateway's own NATS connection: `connected` only while it is (confirmed by a round trip). */
  nats: NatsLinkState;
  natsRttMs?: number;
  services: Record<string, unknown>;
}

/**
 * `GET /health`: 200 when NATS is connected and every domain service answers its health subject,
 * 503 otherwise, with each part's state so an operator sees which one is down. While NATS is down
 * the services are not asked (they cannot be reached) and the answer comes at once.
 */
@Injectable()
export class HealthRoute implements OnModuleInit {
  private readonly link: NatsLinkStatus;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(NATS_CONNECTION) nc: NatsConnection,
    @Inject(BUS_CLIENT) private readonly bus: BusClient,
  ) {
    // Made with the provider's connection, while it is up: it follows the status events from here.
    this.link = natsLink(nc);
  }

  onModuleInit(): void {
    const app = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    app.get('/health', async (_req, reply) => {
      const report = await this.check();
      return reply.code(report.status === 'ok' ? 200 : 503).type('application/json; charset=utf-8').send(JSON.stringify(report));
    });
  }

  async check(): Promise<HealthReport> {
    const link = await this.link.probe(NATS_PROBE_TIMEOUT_MS);
    const services: Record<string, unknown> = {};
    if (link.state !== 'connected') {
      for (const context of CONTEXTS) services[context] = { status: 'unavailable', details: `the gateway's NATS connection is ${link.state}` };
      return { status: 'degraded', nats: link.state, services };
    }
    await Promise.all(CONTEXTS.map(async (context) => {
      try {
        const commandId = randomUUID().replace(/-/g, '');
        const reply: BusReply = await this.bus.request(healthSubject(context), { commandId, payload: {} }, PROBE_TIMEOUT_MS);
        services[context] = reply.ok ? reply.result : { status: 'error', error: reply.error };
      } catch (error) {
        services[context] = { status: 'unavailable', details: (error as Error).message };
      }
    }));
    // The connection may have dropped while the services were asked.
    const nats = this.link.state;
    const healthy = nats === 'connected' && Object.values(services).every((s) => (s as { status?: string }).status === 'ok');
    return { status: healthy ? 'ok' : 'degraded', nats, ...(link.rttMs === undefined ? {} : { natsRttMs: link.rttMs }), services };
  }
}
