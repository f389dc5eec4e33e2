/**
 * What an operator sees of a running app: structured logs, Prometheus metrics, traces and health
 * probes, one module each, shared by the gateway and every service.
 */
export * from './metrics';
export * from './metered-event-store';
export * from './read-model-lag';
export * from './probes-http';
export * from './logger';
export * from './request-context';
export * from './tracing';
