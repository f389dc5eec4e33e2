import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  REST_APIS, ZStackError, queryParamsOf, subjectOf, invalidArgument, notFound,
  type BusReply, type BusRequest, type RestApiEntry,
} from '@cp/contracts';
import { BusClient } from '@cp/bus';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { BUS_CLIENT } from '../tokens';
import { requestContextOf } from '../request-tracking';
import { readerOf } from '../zstack/auth-header';
import { SessionPositions } from '../zstack/session-positions';
import { restAuthFromHeaders } from './rest-auth';
import { restFailure } from './rest-errors';

export const REST_PREFIX = '/api/v1';
const COMMAND_ID = /^[0-9a-f]{32}$/;

const toRoute = (path: string) => REST_PREFIX + path.replace(/\{(\w+)\}/g, ':$1');
const header = (req: FastifyRequest, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Our own JSON API under `/api/v1` (control-plane-api.md), generated from REST_APIS: each route
 * becomes one bus request; the reply's result is the 200 body, an error is its HTTP status with
 * `{error: {code, description, details}}`. Unknown paths, methods, query parameters, malformed JSON
 * and oversized bodies get the same JSON errors; nothing answers with a stack trace.
 */
@Injectable()
export class RestApiRoutes implements OnModuleInit {
  private readonly log = new Logger('RestApi');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(BUS_CLIENT) private readonly bus: BusClient,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly positions: SessionPositions,
  ) {}

  onModuleInit(): void {
    const app = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    const errorHandler = (error: Error, _req: FastifyRequest, reply: FastifyReply) => this.send(reply, restFailure(error, this.log));
    const byUrl = new Map<string, RestApiEntry[]>();
    for (const route of REST_APIS) byUrl.set(toRoute(route.path), [...(byUrl.get(toRoute(route.path)) ?? []), route]);
    for (const [url, routes] of byUrl) {
      for (const route of routes) {
        app.route({
          method: route.method, url, errorHandler,
          bodyLimit: route.maxBodyBytes ?? this.config.bodyLimitBytes,
          handler: async (req, reply) => (route.ndjson && /application\/x-ndjson/i.test(header(req, 'accept') ?? '')
            ? this.stream(route, req, reply)
            : this.send(reply, await this.call(route, req))),
        });
      }
      const methods = routes.map((r) => r.method);
      app.route({
        method: (['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const).filter((m) => !methods.includes(m as never)), url, errorHandler,
        handler: async (req, reply) => this.send(reply, restFailure(
          invalidArgument(`the method ${req.method} is not supported by ${url}; use ${methods.join(' or ')}`), this.log, 405)),
      });
    }
    app.route({
      method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], url: `${REST_PREFIX}/*`, errorHandler,
      handler: async (req, reply) => this.send(reply, restFailure(notFound(`no API at ${req.url.split('?')[0]}`), this.log)),
    });
  }

  private async call(route: RestApiEntry, req: FastifyRequest, override: Record<string, unknown> = {}): Promise<{ status: number; json: unknown }> {
    try {
      const auth = restAuthFromHeaders({
        method: req.method, url: req.url, authorization: header(req, 'authorization'), date: header(req, 'date'),
      });
      if (auth instanceof ZStackError) return restFailure(auth, this.log);
      const commandId = this.commandIdOf(req);
      const payload = { ...this.payloadOf(route, req), ...override };
      const request: BusRequest = { commandId, auth, payload, via: 'rest', clientAddress: req.ip };
      const reader = readerOf(auth);
      const isCommand = route.kind === 'command';
      if (!isCommand) request.minPosition = await this.positions.get(reader, route.context);
      const reply: BusReply = await this.bus.request(subjectOf(route), request, route.timeoutMs ?? this.config.busTimeoutMs, requestContextOf(req));
      if (!reply.ok) return restFailure(ZStackError.fromBody(reply.error), this.log);
      if (isCommand) await this.positions.record(reader, route.context, reply.position);
      return { status: 200, json: reply.result };
    } catch (error) {
      return restFailure(error, this.log);
    }
  }

  /**
   * NDJSON export of a paged list: page after page (`after` = the last `next`), one line per event,
   * written as the client reads; when the client goes away, no further page is asked for.
   */
  private async stream(route: RestApiEntry, req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const pageSize = { limit: '1000' };
    const first = await this.call(route, req, pageSize);
    if (first.status !== 200) return this.send(reply, first);
    const next = (after: string) => this.call(route, req, { ...pageSize, after });
    // A pull stream: the next page is asked for only when the client has read the last one; when it
    // goes away, Fastify destroys the stream and the generator stops where it is.
    async function* lines(): AsyncGenerator<string> {
      let answer = first;
      for (;;) {
        const page = answer.json as { events: unknown[]; next: string | null };
        for (const event of page.events) yield `${JSON.stringify(event)}\n`;
        if (page.next === null) return;
        answer = await next(page.next);
        if (answer.status !== 200) {
          // Too late for a status: the error is the last line.
          yield `${JSON.stringify(answer.json)}\n`;
          return;
        }
      }
    }
    return reply.code(200).type('application/x-ndjson; charset=utf-8').send(Readable.from(lines(), { objectMode: false, highWaterMark: 64 * 1024 }));
  }

  /** Path params, then the query parameters the route takes, then the body under its key. */
  private payloadOf(route: RestApiEntry, req: FastifyRequest): Record<string, unknown> {
    const payload: Record<string, unknown> = { ...(req.params as Record<string, string>) };
    for (const [name, value] of Object.entries((req.query ?? {}) as Record<string, unknown>)) {
      const known = queryParamsOf(route);
      if (!known.includes(name)) {
        throw invalidArgument(`unknown query parameter '${name.slice(0, 100)}'${known.length ? `; known: ${known.join(', ')}` : ''}`);
      }
      if (Array.isArray(value)) throw invalidArgument(`query parameter '${name}' is given more than once`);
      payload[name] = value;
    }
    if (route.bodyKey === undefined) {
      if (req.body !== undefined) throw invalidArgument(`${route.method} ${REST_PREFIX}${route.path} takes no body`);
      return payload;
    }
    const body = req.body ?? {};
    if (!isObject(body)) throw invalidArgument('the body must be a JSON object');
    payload[route.bodyKey] = body;
    return payload;
  }

  /** `Idempotency-Key` (or ZStack's `X-Job-UUID`): a repeated command returns its first outcome. */
  private commandIdOf(req: FastifyRequest): string {
    const given = header(req, 'idempotency-key') ?? header(req, 'x-job-uuid');
    if (given === undefined) return randomUUID().replace(/-/g, '');
    const id = given.trim().toLowerCase().replace(/-/g, '');
    if (!COMMAND_ID.test(id)) throw invalidArgument('header Idempotency-Key must be a UUID (32 hex digits, dashes allowed)');
    return id;
  }

  private send(reply: FastifyReply, answer: { status: number; json: unknown }): FastifyReply {
    return reply.code(answer.status).type('application/json; charset=utf-8').send(JSON.stringify(answer.json));
  }
}
