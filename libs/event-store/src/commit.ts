import { deriveEventId } from './event-id';
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
