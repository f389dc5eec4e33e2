import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { ZSTACK_APIS, type ZStackApiEntry } from '@cp/contracts';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { requestContextOf } from '../request-tracking';
import { JOBS_PATH, ZStackApi, type ApiCall } from './zstack-api';
import { zstackFailure, type ApiAnswer, type FrameworkError } from './zstack-errors';
import { parseJsonBody } from './request-mapping';

const PREFIX = '/zstack/v1';
const METHODS: HTTPMethods[] = ['GET', 'POST', 'PUT', 'DELETE'];

/** ZStack's `{uuid}` → Fastify's `:uuid`. */
const toRoute = (path: string) => PREFIX + path.replace(/\{(\w+)\}/g, ':$1');

/**
 * The ZStack REST surface, generated from the API catalog: one Fastify route per method and path,
 * the job poll, 405 for a known path with another method, and 404 `no api mapping to <path>` for
 * everything else. Bodies are parsed here, whatever their Content-Type (ZStack ignores it), for every
 * route of the server (`/api/v1` too), nesting at most MAX_JSON_DEPTH levels, with plain-text 400 and
 * 413 answers as ZStack's REST layer gives.
 */
@Injectable()
export class ZStackRoutes implements OnModuleInit {
  private readonly log = new Logger('ZStackRoutes');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly api: ZStackApi,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  onModuleInit(): void {
    const app = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'string' }, (_req, text, done) => {
      if (text === '' || (typeof text === 'string' && text.trim() === '')) return done(null, undefined);
      try {
        done(null, parseJsonBody(text as string));
      } catch (error) {
        done(Object.assign(new Error(`invalid JSON body: ${(error as Error).message}`), { statusCode: 400 }), undefined);
      }
    });

    const routes = new Map<string, Map<HTTPMethods, ZStackApiEntry[]>>();
    for (const api of ZSTACK_APIS) {
      for (const path of api.paths) {
        const byMethod = routes.get(toRoute(path)) ?? new Map<HTTPMethods, ZStackApiEntry[]>();
        byMethod.set(api.method, [...(byMethod.get(api.method) ?? []), api]);
        routes.set(toRoute(path), byMethod);
      }
    }
    for (const [url, byMethod] of routes) {
      for (const method of METHODS) {
        const candidates = byMethod.get(method);
        const bodyLimit = Math.max(this.config.bodyLimitBytes, ...(candidates ?? []).map((a) => a.maxBodyBytes ?? 0));
        app.route({
          method, url, bodyLimit,
          errorHandler: (error: FrameworkError, _req, reply) => this.send(reply, zstackFailure(error, this.log)),
          handler: candidates
            ? async (req, reply) => this.send(reply, await this.api.call(candidates, this.callOf(req)))
            : async (_req, reply) => this.send(reply, methodNotAllowed(method, url)),
        });
      }
    }
    const jobsUrl = `${JOBS_PATH}:uuid`;
    for (const method of METHODS) {
      app.route({
        method, url: jobsUrl,
        errorHandler: (error: FrameworkError, _req, reply) => this.send(reply, zstackFailure(error, this.log)),
        handler: method === 'GET'
          ? async (req, reply) => this.send(reply, await this.api.poll((req.params as { uuid: string }).uuid, this.callOf(req)))
          : async (_req, reply) => this.send(reply, methodNotAllowed(method, jobsUrl)),
      });
    }
    app.route({
      method: METHODS, url: '/*',
      // A body over the limit (or malformed) to an unknown path: ZStack's plain-text answer, not Fastify's JSON.
      errorHandler: (error: FrameworkError, _req, reply) => this.send(reply, zstackFailure(error, this.log)),
      handler: async (req, reply) => this.send(reply, { status: 404, text: `no api mapping to ${req.url.split('?')[0]}` }),
    });
  }

  private callOf(req: FastifyRequest): ApiCall {
    return {
      method: req.method,
      url: req.url,
      baseUrl: `${req.protocol}://${req.headers.host ?? `127.0.0.1:${this.config.port}`}`,
      headers: req.headers,
      params: (req.params ?? {}) as Record<string, string>,
      query: (req.query ?? {}) as Record<string, string | string[] | undefined>,
      body: req.body,
      clientAddress: req.ip,
      context: requestContextOf(req),
    };
  }

  private send(reply: FastifyReply, answer: ApiAnswer): FastifyReply {
    reply.code(answer.status);
    if (answer.text !== undefined) return reply.type('text/plain; charset=utf-8').send(answer.text);
    return reply.type('application/json; charset=utf-8').send(JSON.stringify(answer.json));
  }
}

function methodNotAllowed(method: string, url: string): ApiAnswer {
  return { status: 405, text: `the method[${method}] is not supported by the URL[${url}]` };
}
