import {
  ROOT_CONTEXT, SpanKind, SpanStatusCode, context, propagation, trace,
  type Attributes, type Context, type Span, type TextMapGetter, type TextMapSetter,
} from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

/**
 * OpenTelemetry traces: on when OTEL_EXPORTER_OTLP_ENDPOINT (or ..._TRACES_ENDPOINT) is set, and
 * then exported over OTLP/HTTP in batches; off otherwise, and then no span is made at all (every
 * helper below returns at its first line). The W3C `traceparent` travels from HTTP through NATS
 * headers into the handler and the event store append, so one request is one trace across processes.
 */
let provider: NodeTracerProvider | null = null;

export function tracingEnabled(): boolean {
  return provider !== null;
}

/** Turns tracing on for this process when the environment asks for it (once; later calls do nothing). */
export function initTracing(serviceName: string, env: NodeJS.ProcessEnv = process.env): void {
  if (provider || !(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT)) return;
  provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: env.OTEL_SERVICE_NAME || serviceName }),
    // The exporter reads the endpoint, headers and timeout from the standard OTEL_EXPORTER_OTLP_* variables.
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  // Global tracer provider, W3C trace-context propagator, and the AsyncLocalStorage context manager.
  provider.register();
}

/** Sends the spans not yet exported and stops (at shutdown). */
export async function shutdownTracing(): Promise<void> {
  const stopping = provider;
  provider = null;
  await stopping?.shutdown().catch(() => undefined);
}

const tracer = () => trace.getTracer('zstack-control-plane');

/** Carriers: NATS headers (get/set) and HTTP request headers (a plain record). */
interface HeaderCarrier {
  get(key: string): string;
  set(key: string, value: string): void;
}
const natsSetter: TextMapSetter<HeaderCarrier> = { set: (carrier, key, value) => carrier.set(key, value) };
const natsGetter: TextMapGetter<HeaderCarrier | undefined> = {
  keys: () => ['traceparent', 'tracestate'],
  get: (carrier, key) => carrier?.get(key) || undefined,
};
const httpGetter: TextMapGetter<Record<string, string | string[] | undefined>> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => carrier[key.toLowerCase()],
};

/** Writes the current trace context into outgoing NATS headers (nothing when tracing is off). */
export function injectTrace(headers: HeaderCarrier): void {
  if (provider) propagation.inject(context.active(), headers, natsSetter);
}

/** The trace context a NATS message carries (the root context when it carries none). */
export function traceOfMessage(headers: HeaderCarrier | undefined): Context {
  return provider ? propagation.extract(ROOT_CONTEXT, headers, natsGetter) : ROOT_CONTEXT;
}

/** The trace context an HTTP client sent (`traceparent`), else the root context. */
export function traceOfHttp(headers: Record<string, string | string[] | undefined>): Context {
  return provider ? propagation.extract(ROOT_CONTEXT, headers, httpGetter) : ROOT_CONTEXT;
}

export { SpanKind };

/**
 * Runs `fn` in a span (child of `parent`, else of the active span), ended when `fn` settles; an
 * error marks the span and is rethrown. With tracing off, just `fn()`.
 */
export function inSpan<T>(
  name: string, kind: SpanKind, attributes: Attributes, fn: (span: Span | null) => Promise<T>, parent?: Context,
): Promise<T> {
  return provider ? inNewSpan(name, kind, attributes, fn, parent) : fn(null);
}

async function inNewSpan<T>(
  name: string, kind: SpanKind, attributes: Attributes, fn: (span: Span | null) => Promise<T>, parent?: Context,
): Promise<T> {
  const span = tracer().startSpan(name, { kind, attributes }, parent ?? context.active());
  try {
    return await context.with(trace.setSpan(parent ?? context.active(), span), () => fn(span));
  } catch (error) {
    span.recordException(error as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
    throw error;
  } finally {
    span.end();
  }
}

/** A span the caller ends itself (an HTTP request, ended when its reply is sent), or null when off. */
export function startSpan(name: string, kind: SpanKind, attributes: Attributes, parent: Context): { span: Span; context: Context } | null {
  if (!provider) return null;
  const span = tracer().startSpan(name, { kind, attributes }, parent);
  return { span, context: trace.setSpan(parent, span) };
}

/** Runs `fn` with `ctx` as the active trace context (for code that continues a span started earlier). */
export function withTraceContext<T>(ctx: Context, fn: () => T): T {
  return context.with(ctx, fn);
}

/** The active span's trace id, for log lines (undefined when tracing is off). */
export function currentTraceId(): string | undefined {
  if (!provider) return undefined;
  const id = trace.getSpan(context.active())?.spanContext().traceId;
  return id && id !== '00000000000000000000000000000000' ? id : undefined;
}
