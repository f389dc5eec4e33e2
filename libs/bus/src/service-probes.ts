import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown, type Type } from '@nestjs/common';
import { optionalProvider } from './optional-provider';
import { ModuleRef } from '@nestjs/core';
import type { NatsConnection } from 'nats';
import type { ServiceConfig } from '@cp/config';
import type { EventStore } from '@cp/event-store';
import {
  ReadModelWatch, initProcessMetrics, readiness, startProbeServer, watchReadModels, type LagReport, type ProbeServer, type ReadinessCheck, type ReadinessReport,
} from '@cp/observability';
import { natsLink } from './nats';
import { READ_MODELS, type ManagedReadModel } from './read-model-admin';

/** The token of a service's probes (its METRICS_PORT listener and readiness): `app.get(SERVICE_PROBES).port`. */
export const SERVICE_PROBES = Symbol('SERVICE_PROBES');

/** How long a read model behind the log head may take to catch up before the service is not ready. */
export const READY_CATCH_UP_MS = 2000;
/** A round trip to nats-server, and the event store's head, within this. */
const READY_IO_TIMEOUT_MS = 1500;
/** The whole of /health/ready stays within 2.5 s: inside the container healthcheck's 3 s (HEALTHCHECK_TIMEOUT_MS). */
const READY_TIMEOUT_MS = READY_CATCH_UP_MS + 500;

export interface ServiceProbesApi {
  /** The port of the METRICS_PORT listener; null when METRICS_PORT is unset. */
  readonly port: number | null;
  /** The bus transport's connection, once it listens (run-service.ts): readiness needs it connected. */
  attachBus(nc: NatsConnection): void;
  ready(): Promise<ReadinessReport>;
  /** Its read models against the log head (the lag gauges' report, reused for a second); null without read models. */
  readModelLag(): Promise<LagReport | null>;
}

/** Tokens the probes read from the service's module (service-kit's); passed in to keep the import one way. */
export interface ServiceProbeTokens {
  config: symbol;
  nats: symbol;
  store: symbol;
}

/**
 * A domain service's operator view: process metrics, its read models' lag in the gauges, and, when
 * METRICS_PORT is set, an HTTP listener with /metrics, /health/live and /health/ready. Ready means:
 * the service's own NATS connection and the bus transport's are connected (a round trip), the event
 * store answers (its head), and every read model has applied its streams up to the log head within
 * READY_CATCH_UP_MS. Starts once the module is up (the read models caught up), stops at shutdown.
 */
export function serviceProbes(name: string, context: string, tokens: ServiceProbeTokens): Type<ServiceProbesApi> {
  @Injectable()
  class ServiceProbes implements ServiceProbesApi, OnApplicationBootstrap, OnApplicationShutdown {
    private readonly log = new Logger('ServiceProbes');
    private server: ProbeServer | null = null;
    private bus: NatsConnection | null = null;
    private watch: ReadModelWatch | null = null;
    private unwatch: (() => void) | null = null;

    constructor(private readonly ref: ModuleRef) {}

    get port(): number | null {
      return this.server?.port ?? null;
    }

    attachBus(nc: NatsConnection): void {
      this.bus = nc;
    }

    async onApplicationBootstrap(): Promise<void> {
      initProcessMetrics();
      const store = this.optional<EventStore>(tokens.store);
      const models = this.optional<ManagedReadModel[]>(READ_MODELS) ?? [];
      if (store && models.length > 0) {
        this.watch = new ReadModelWatch(context, store, models);
        this.unwatch = watchReadModels(this.watch);
      }
      const port = this.ref.get<symbol, ServiceConfig>(tokens.config, { strict: false }).metricsPort;
      if (port === null) return;
      this.server = await startProbeServer({ port, ready: () => this.ready() });
      this.log.log(`${name}: metrics on http://0.0.0.0:${this.server.port}/metrics, probes on /health/live and /health/ready`);
    }

    async onApplicationShutdown(): Promise<void> {
      this.unwatch?.();
      await this.server?.close();
      this.server = null;
    }

    readModelLag(): Promise<LagReport | null> {
      return this.watch?.report() ?? Promise.resolve(null);
    }

    ready(): Promise<ReadinessReport> {
      const own = this.ref.get<symbol, NatsConnection>(tokens.nats, { strict: false });
      const checks: ReadinessCheck[] = [
        { name: 'nats', check: () => connected(own, 'its NATS connection') },
        { name: 'bus', check: async () => (this.bus ? connected(this.bus, 'the bus connection') : 'the bus transport is not listening yet') },
      ];
      const store = this.optional<EventStore>(tokens.store);
      if (store) checks.push({ name: 'eventStore', check: () => store.headPosition().then(() => null), timeoutMs: READY_IO_TIMEOUT_MS });
      const watch = this.watch;
      if (watch) checks.push({ name: 'readModels', check: async () => (await watch.behind(READY_CATCH_UP_MS)).join('; ') || null });
      return readiness(checks, READY_TIMEOUT_MS);
    }

    private optional<T>(token: symbol): T | undefined {
      return optionalProvider<T>(this.ref, token);
    }
  }
  return ServiceProbes;
}

async function connected(nc: NatsConnection, what: string): Promise<string | null> {
  const { state } = await natsLink(nc).probe(READY_IO_TIMEOUT_MS);
  return state === 'connected' ? null : `${what} is ${state}`;
}
