import type { ReadModel, Snapshottable, StoredEvent } from '@cp/event-store';

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

/** `model` as a checkpoint brings it back: its snapshot, through JSON, restored into `empty`. */
export function restoredInto<M extends Snapshottable>(empty: M, model: Snapshottable): M {
  empty.restore(JSON.parse(JSON.stringify(model.snapshot())));
  return empty;
}

/** `fresh` rebuilt from `events` beside `live`, then swapped in as Projection.rebuild does (Object.assign): `live`. */
export function swappedInto<M extends ReadModel>(live: M, fresh: M, events: Iterable<StoredEvent>): M {
  for (const e of events) fresh.apply(e);
  return Object.assign(live, fresh);
}

/** `count` rounds of `round` (some random events, then the checks). */
export function rounds(count: number, round: () => void): void {
  for (let i = 0; i < count; i++) round();
}
