/** Injection tokens for what has no class of its own. */
export const NATS_CONNECTION = Symbol('NATS_CONNECTION');
export const EVENT_STORE = Symbol('EVENT_STORE');
/** The projection of the `platform` streams into PlatformReadModel. */
export const PLATFORM_PROJECTION = Symbol('PLATFORM_PROJECTION');
