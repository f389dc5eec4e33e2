import type { StoredEvent } from '@cp/event-store';

/**
 * For the read models' specs: a log of one kind of stream (`<category>-<uuid>`), each event numbered
 * in its stream (from 0) and positioned in the log, as the event store hands events to a model.
 */
export class StreamLog<E extends { type: string; data: { uuid: string } }> {
  readonly events: StoredEvent[] = [];
  private readonly versions = new Map<string, bigint>();

  constructor(private readonly category: string) {}

  emit(event: E): StoredEvent {
    const uuid = event.data.uuid;
    const version = this.versions.has(uuid) ? this.versions.get(uuid)! + 1n : 0n;
    this.versions.set(uuid, version);
    const stored = {
      ...event, eventId: `e${this.events.length}`, streamId: `${this.category}-${uuid}`, schemaVersion: 1, streamVersion: version,
      position: BigInt(this.events.length + 1), metadata: {},
    } as unknown as StoredEvent;
    this.events.push(stored);
    return stored;
  }
}
