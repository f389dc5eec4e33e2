import { deriveEventId } from './event-id';
import { invalidArgument } from '@cp/contracts';
import type { EventMetadata, NewEvent } from './port';

/** One event as a commit stores it: everything but what the log itself knows (stream, position, version). */
export interface EncodedEvent {
  eventId: string;
  type: string;
  schemaVersion: number;
  data: Record<string, unknown>;
  metadata: EventMetadata;
}

export function encodeEvents(events: NewEvent[], commitId: string, metadata: EventMetadata): EncodedEvent[] {
  if (events.length === 0) throw new RangeError(`commit ${commitId} has no events`);
  return events.map((event, index) => ({
    eventId: deriveEventId(commitId, index),
    type: event.type,
    schemaVersion: event.schemaVersion ?? 1,
    data: event.data,
    metadata,
  }));
}

/**
 * Whether a commit of `size` events still fits a read that has `collected` events and may return
 * `limit`. Reads never split a commit: its events share one position, so a caller resuming from the
 * last position it saw would silently skip the rest of a split commit. A first commit larger than
 * the limit is returned whole, so that paging always makes progress.
 */
export const commitFits = (collected: number, size: number, limit: number): boolean =>
  collected === 0 || collected + size <= limit;

export function readLimit(limit: number | undefined): number {
  if (limit === undefined) return Number.POSITIVE_INFINITY;
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`invalid read limit ${limit}: must be a positive integer`);
  return limit;
}

/** A commit's size as the adapters count it: every event's data and metadata as UTF-8 JSON. */
export const commitSize = (events: EncodedEvent[]): number =>
  events.reduce((sum, e) => sum + Buffer.byteLength(JSON.stringify(e.data)) + Buffer.byteLength(JSON.stringify(e.metadata)), 0);

/** Refuses (SYS.1007) a commit larger than `max` bytes before it is sent anywhere. */
export function assertCommitSize(streamId: string, events: EncodedEvent[], max: number, detail = ''): void {
  const size = commitSize(events);
  if (size > max) throw invalidArgument(`commit on ${streamId} is ${size} bytes, more than the event store accepts (max append size ${max} bytes${detail})`);
}
