/**
 * The schema version every event type is written at now, and how older versions are read (the
 * upcasters, applied by libs/event-store's UpcastingEventStore). A type not listed is at version 1.
 * Change an event's shape by raising its version here and adding the upcaster from the old one;
 * never edit what an upcaster does once events of its version exist.
 */
export interface EventUpcaster {
  type: string;
  from: number;
  up(data: Record<string, unknown>): Record<string, unknown>;
}

export const EVENT_SCHEMA_VERSIONS: Readonly<Record<string, number>> = {
  // v2 records the operator's request (`stateEvent`) beside the resulting state.
  TemplateStateChanged: 2,
};

export const EVENT_UPCASTERS: readonly EventUpcaster[] = [
  {
    // v1 (baremetal-svc as first released): {uuid, state, lastOpDate}. The request is implied by the state.
    type: 'TemplateStateChanged', from: 1,
    up: (data) => ({ ...data, stateEvent: data.state === 'Disabled' ? 'disable' : 'enable' }),
  },
];
