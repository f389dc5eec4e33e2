import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Context, Span } from '@opentelemetry/api';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  REQUEST_ID_HEADER, SpanKind, observeHttp, requestIdFrom, requestLogger, startSpan, traceOfHttp, tracingEnabled, withTraceContext, type RequestContext,
} from '@cp/observability';
import { ApiNames } from './observability/api-names';

interface Tracked {
  context: RequestContext;
  /** The request's server span and its trace context (tracing on only). */
  trace: { span: Span; context: Context } | null;
}

const tracked = new WeakMap<FastifyRequest, Tracked>();

/** The request context of an HTTP request (its id, and the caller once a service named it): what its bus requests carry. */
export function requestContextOf(req: FastifyRequest): RequestContext | undefined {
  return tracked.get(req)?.context;
}

/**
 * Every HTTP request of the gateway: its id (`X-Request-Id` as the client sent it when acceptable,
 * else a fresh UUID; echoed in the reply), the request context (`requestContextOf`: the routes pass
 * it to their bus requests, so the id travels in NATS headers to the services and into the events'
 * correlationId, and the caller the service resolved comes back for the log line), its trace span (continuing a client's
 * `traceparent`) and, once answered, one log line: API name, method, route, status, duration, the
 * caller's account, the request id; and its HTTP metrics (count and latency by API name and status).
 */
@Injectable()
export class RequestTracking implements OnModuleInit {
  private readonly log = requestLogger('http');
  private readonly names = new ApiNames();
  private readonly tracing = tracingEnabled();

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const app = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    app.addHook('onRequest', (req, reply, done) => {
      const context: RequestContext = { requestId: requestIdFrom(req.headers['x-request-id']) };
      void reply.header(REQUEST_ID_HEADER, context.requestId);
      const trace = this.tracing ? startHttpSpan(req, context) : null;
      tracked.set(req, { context, trace });
      if (trace) withTraceContext(trace.context, done);
      else done();
    });
    // Reading the body leaves the async context of the hook: the handler's trace context is entered again here.
    if (this.tracing) {
      app.addHook('preValidation', (req, _reply, done) => {
        const trace = tracked.get(req)?.trace;
        if (trace) withTraceContext(trace.context, done);
        else done();
      });
    }
    app.addHook('onResponse', (req, reply, done) => {
      this.finish(req, reply);
      done();
    });
  }

  private finish(req: FastifyRequest, reply: FastifyReply): void {
    const state = tracked.get(req);
    if (!state) return;
    const api = this.names.of(req.method, req.routeOptions.url, req.body);
    const elapsedMs = reply.elapsedTime;
    observeHttp(api, reply.statusCode, elapsedMs / 1000);
    const durationMs = Math.round(elapsedMs * 10) / 10;
    if (state.trace) {
      state.trace.span.setAttributes({ 'http.response.status_code': reply.statusCode, 'cp.api': api });
      if (state.context.accountUuid) state.trace.span.setAttribute('cp.account_uuid', state.context.accountUuid);
      state.trace.span.end();
    }
    this.log.info({
      api, method: req.method, route: req.routeOptions.url ?? null, status: reply.statusCode, durationMs,
      accountUuid: state.context.accountUuid ?? undefined, requestId: state.context.requestId,
    }, 'request');
  }
}

/** The request's server span, continuing a client's `traceparent` (tracing on). */
function startHttpSpan(req: FastifyRequest, context: RequestContext): Tracked['trace'] {
  const route = req.routeOptions.url ?? 'unmatched';
  return startSpan(`${req.method} ${route}`, SpanKind.SERVER, {
    'http.request.method': req.method, 'http.route': route, 'cp.request_id': context.requestId,
  }, traceOfHttp(req.headers));
}
