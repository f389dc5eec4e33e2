export const NATS_CONNECTION = Symbol('NATS_CONNECTION');
/** The projection of every resource stream into the OwnershipIndex. */
export const OWNERSHIP_PROJECTION = Symbol('OWNERSHIP_PROJECTION');
export const ALL_EVENTS = Symbol('ALL_EVENTS');
