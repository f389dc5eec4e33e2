/** The projection of every resource stream into the OwnershipIndex. */
export const OWNERSHIP_PROJECTION = Symbol('OWNERSHIP_PROJECTION');
/** The reader of every context's log: `{ raw: JetStreamEventStore, store: UpcastingEventStore }`. */
export const ALL_EVENTS = Symbol('ALL_EVENTS');
