import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import type { NatsConnection } from 'nats';
import { natsLink, type NatsLinkStatus } from '@cp/bus';
import { LIVE_BODY, initProcessMetrics, metricsText, readiness, type ReadinessReport } from '@cp/observability';
import { NATS_CONNECTION } from '../tokens';

const NATS_PROBE_TIMEOUT_MS = 1000;

/**
 * The gateway's operator routes: `GET /metrics` (Prometheus text: every request counted by API name
 * and status, timed, as RequestTracking observes it when answered), `GET /health/live` (the process answers) and
 * `GET /health/ready` (its NATS connection answers a round trip; 503 with the reasons otherwise).
 * Readiness leaves the domain services out on purpose: a gateway replica is fit to take traffic when
 * it reaches NATS, and a service that is down would otherwise take every gateway out of the load
 * balancer with it (`GET /health` still reports them all).
 */
@Injectable()
export class ObservabilityRoutes implements OnModuleInit {
  private readonly link: NatsLinkStatus;

  constructor(private readonly adapterHost: HttpAdapterHost, @Inject(NATS_CONNECTION) nc: NatsConnection) {
    this.link = natsLink(nc);
  }

  onModuleInit(): void {
    initProcessMetrics();
    const app = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    app.get('/metrics', async (_req, reply) => {
      const { contentType, text } = await metricsText();
      return reply.type(contentType).header('cache-control', 'no-store').send(text);
    });
    app.get('/health/live', async (_req, reply) => reply.type('application/json; charset=utf-8').send(JSON.stringify(LIVE_BODY)));
    app.get('/health/ready', async (_req, reply) => {
      const report = await this.ready();
      return reply.code(report.status === 'ready' ? 200 : 503).type('application/json; charset=utf-8').send(JSON.stringify(report));
    });
  }

  ready(): Promise<ReadinessReport> {
    return readiness([{
      name: 'nats',
      check: async () => {
        const { state } = await this.link.probe(NATS_PROBE_TIMEOUT_MS);
        return state === 'connected' ? null : `the gateway's NATS connection is ${state}`;
      },
    }], NATS_PROBE_TIMEOUT_MS + 1000);
  }
}
