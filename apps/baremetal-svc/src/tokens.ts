/** Injection tokens for what has no class of its own. */
export const NATS_CONNECTION = Symbol('NATS_CONNECTION');
export const EVENT_STORE = Symbol('EVENT_STORE');
/** The projection of the `preconfigtemplate` streams into TemplateReadModel. */
export const TEMPLATE_PROJECTION = Symbol('TEMPLATE_PROJECTION');
