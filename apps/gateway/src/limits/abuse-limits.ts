import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { ZSTACK_APIS, tooManyRequests } from '@cp/contracts';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { InFlight, TokenBuckets, clientOf } from './token-buckets';

const LIMITED_PREFIXES = ['/zstack/v1/', '/api/v1/'];
/** Refusals held at once (RATE_LIMIT_REFUSAL_DELAY_MS); past this they are sent at once, so holding costs bounded memory. */
const MAX_HELD = 10_000;

/** `PUT /zstack/v1/accounts/login`... as Fastify names the matched route (method and route URL). */
export function loginRoutes(): Set<string> {
  const routes = new Set<string>();
  for (const api of ZSTACK_APIS) {
    if (!api.login) continue;
    for (const path of api.paths) routes.add(`${api.method} /zstack/v1${path.replace(/\{(\w+)\}/g, ':$1')}`);
  }
  return routes;
}

/**
 * The gateway's abuse limits (docs/limits.md), checked when a request arrives, before its body is read
 * or anything is asked of a service, so a refused request costs little:
 * - logins (the registry's `login` APIs) per source address: RATE_LIMIT_LOGIN_PER_MIN, _BURST;
 * - every API request per client (session, access key id, else source address): RATE_LIMIT_API_PER_SEC, _BURST;
 * - requests of one client being served at once: MAX_IN_FLIGHT_PER_CLIENT.
 * Over a limit: 429 with `Retry-After` (seconds) and the error envelope with SYS.1429, on both wires
 * (`/zstack/v1` and `/api/v1`), held for RATE_LIMIT_REFUSAL_DELAY_MS so a flooding client is slowed
 * to its connections' count per delay. The buckets are this replica's own: with N gateway replicas behind a
 * load balancer a client gets up to N times the rate. Probes and metrics are never limited.
 */
@Injectable()
export class AbuseLimits implements OnModuleInit {
  private readonly logins: TokenBuckets | null;
  private readonly requests: TokenBuckets | null;
  private readonly inFlight: InFlight | null;
  private readonly loginRoutes = loginRoutes();
  private held = 0;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {
    const { loginPerMin, loginBurst, apiPerSec, apiBurst, maxInFlightPerClient } = config.limits;
    this.logins = loginPerMin > 0 ? new TokenBuckets(loginPerMin / 60, loginBurst) : null;
    this.requests = apiPerSec > 0 ? new TokenBuckets(apiPerSec, apiBurst) : null;
    this.inFlight = maxInFlightPerClient > 0 ? new InFlight(maxInFlightPerClient) : null;
  }

  onModuleInit(): void {
    if (!this.logins && !this.requests && !this.inFlight) return;
    const app = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    app.addHook('onRequest', (req, reply, done) => {
      if (!LIMITED_PREFIXES.some((p) => req.url.startsWith(p))) return done();
      const now = Date.now();
      const address = req.ip;
      const { limits } = this.config;
      if (this.logins && this.loginRoutes.has(`${req.method} ${req.routeOptions.url}`)) {
        const waitMs = this.logins.take(address, now);
        if (waitMs > 0) {
          return this.refuse(
            reply,
            waitMs,
            `too many logins from address ${address}: at most ${limits.loginPerMin} a minute` +
              ` (bursts of ${limits.loginBurst}); retry after ${seconds(waitMs)} s`,
          );
        }
      }
      const client = clientOf(req.headers.authorization, address);
      if (this.requests) {
        const waitMs = this.requests.take(client.key, now);
        if (waitMs > 0) {
          return this.refuse(
            reply,
            waitMs,
            `too many requests from ${client.label}: at most ${limits.apiPerSec} a second` +
              ` (bursts of ${limits.apiBurst}); retry after ${seconds(waitMs)} s`,
          );
        }
      }
      if (this.inFlight) {
        const inFlight = this.inFlight;
        if (!inFlight.acquire(client.key)) {
          return this.refuse(
            reply,
            1000,
            `too many requests from ${client.label} at once: at most ${limits.maxInFlightPerClient}` +
              ' are served at a time; wait for an answer before sending more',
          );
        }
        // 'close' comes once the reply is written or the connection is gone, whichever is first.
        reply.raw.once('close', () => inFlight.release(client.key));
      }
      done();
    });
  }

  /**
   * 429 with Retry-After and the error envelope: the same body on `/zstack/v1` and `/api/v1` (SYS.1429's
   * status is 429), after the refusal delay unless too many are held already.
   */
  private refuse(reply: FastifyReply, waitMs: number, details: string): void {
    const send = () => {
      void reply
        .code(429)
        .header('Retry-After', String(seconds(waitMs)))
        .type('application/json; charset=utf-8')
        .send(JSON.stringify({ error: tooManyRequests(details).toBody() }));
    };
    // Held even when a token is due sooner: Retry-After says at least a second anyway.
    const holdMs = Math.min(this.config.limits.refusalDelayMs, seconds(waitMs) * 1000);
    if (holdMs <= 0 || this.held >= MAX_HELD) return send();
    this.held++;
    setTimeout(() => {
      this.held--;
      // A client gone meanwhile gets nothing (Fastify would only log the write error).
      if (!reply.raw.destroyed && !reply.sent) send();
    }, holdMs).unref();
  }
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));
