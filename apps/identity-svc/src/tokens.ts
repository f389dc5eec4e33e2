/** Injection tokens for what has no class of its own. */
export const NATS_CONNECTION = Symbol('NATS_CONNECTION');
export const EVENT_STORE = Symbol('EVENT_STORE');
export const ACCOUNT_PROJECTION = Symbol('ACCOUNT_PROJECTION');
