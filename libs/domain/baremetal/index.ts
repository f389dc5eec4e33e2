/**
 * The baremetal context's domain, pure (no Nest, NATS or event store): the preconfiguration
 * template aggregate (evolve + `decide(command, state)` over TemplateCommand), the template params
 * ZStack extracts and renders, the installer syntax checks and the content MD5.
 */
export * from './template.decider';
export * from './template-params';
export * from './installer-syntax';
export * from './md5';
