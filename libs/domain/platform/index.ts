/**
 * The platform context's domain, pure (no Nest, NATS or event store): the platform aggregate
 * (evolve + `decide(command, state)` over PlatformCommand, the view and probe counters), the
 * command inputs it takes, and the health rules that judge a platform from its recent probes.
 */
export * from './platform.decider';
export * from './platform-input';
export * from './health.rules';
