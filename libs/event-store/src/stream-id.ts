import { streamCategory, streamEntityId, type StreamFilter } from './port';

/**
 * Stream ids, contexts and categories end up as NATS subject tokens (and as EventStoreDB stream name
 * parts), so every adapter accepts exactly the same set: no empty parts, no token separators or
 * wildcards, no whitespace. One rule everywhere keeps the in-memory store an honest double.
 */
const FORBIDDEN = /[.*>\s]/;

export interface StreamIdParts {
  category: string;
  entityId: string;
}

export function assertNameToken(kind: string, value: string): void {
  if (value === '' || FORBIDDEN.test(value)) {
    throw new RangeError(`invalid ${kind} ${JSON.stringify(value)}: must be non-empty without '.', '*', '>' or whitespace`);
  }
}

/** Splits `<category>-<id>`; throws a RangeError for ids no adapter can store. */
export function parseStreamId(streamId: string): StreamIdParts {
  const category = streamCategory(streamId);
  const entityId = streamEntityId(streamId);
  if (category === '' || entityId === '' || FORBIDDEN.test(streamId)) {
    throw new RangeError(
      `invalid stream id ${JSON.stringify(streamId)}: expected <category>-<id> without '.', '*', '>' or whitespace`,
    );
  }
  return { category, entityId };
}

/** The distinct, validated categories of a filter; empty means every stream. */
export function filterCategories(filter: StreamFilter | undefined): string[] {
  const categories = [...new Set(filter?.categories ?? [])];
  for (const category of categories) {
    assertNameToken('category', category);
    if (category.includes('-')) throw new RangeError(`invalid category ${JSON.stringify(category)}: a category has no '-'`);
  }
  return categories;
}

/** A category test for a validated filter; `categories` empty accepts every stream. */
export function categoryPredicate(categories: string[]): (category: string) => boolean {
  if (categories.length === 0) return () => true;
  const wanted = new Set(categories);
  return (category) => wanted.has(category);
}
