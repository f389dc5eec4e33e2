/**
 * Equality indexes over a read model's rows, and the {@link QuerySource.lookup} built on them.
 *
 * The engine answers `field = v` and `field in (...)` on an indexed field from the rows a source's
 * `lookup` offers instead of scanning every row. It must get those rows in the order of the scan
 * (`all()`), so that its reply is the scan's, row for row. A read model keeps its rows in a Map,
 * which iterates in insertion order (a row replaced in place keeps its place; one deleted and set
 * again goes last), and gives each row a sequence number when the row enters the Map
 * ({@link RowIndexes.seqFor}): the indexes order the rows of a key by it.
 *
 * Memory: a key held by one row costs one Map entry whose value is that row's id (the very string
 * the rows Map is keyed by). Only a key held by several rows gets a Set.
 */
import type { Candidates } from './types';

/** A row as a read model keeps it: with the sequence number it got when it entered the rows Map. */
export interface Sequenced {
  readonly seq: number;
}

/**
 * The rows holding one key, when there are several. In seq order while `ordered`: each id was added
 * with a seq greater than `last` (the greatest seq added so far). An id added out of order (a row
 * renamed into a key held by a younger row) clears `ordered`, and the next read sorts the Set once.
 */
interface Many {
  ids: Set<string>;
  ordered: boolean;
  last: number;
}
type Bucket = string | Many;

/** Sorts ids by their rows' seq (decorated: one seq read per id). */
function sortBySeq(ids: Iterable<string>, seqOf: (id: string) => number): string[] {
  const decorated: { id: string; seq: number }[] = [];
  for (const id of ids) decorated.push({ id, seq: seqOf(id) });
  decorated.sort((a, b) => a.seq - b.seq);
  return decorated.map((d) => d.id);
}

/**
 * One field's index: key → the ids of the rows holding it, in seq order. `add` must be called once
 * the row is in the rows Map (its seq is read from there); `remove` may be called either side of
 * its deletion.
 */
export class EqualityIndex {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly seqOf: (id: string) => number) {}

  add(key: string, id: string): void {
    const bucket = this.buckets.get(key);
    if (bucket === undefined) {
      this.buckets.set(key, id);
      return;
    }
    if (bucket === id) return;
    const seq = this.seqOf(id);
    if (typeof bucket === 'string') {
      const other = this.seqOf(bucket);
      this.buckets.set(
        key,
        seq > other ? { ids: new Set([bucket, id]), ordered: true, last: seq } : { ids: new Set([id, bucket]), ordered: true, last: other },
      );
      return;
    }
    if (bucket.ids.has(id)) return;
    bucket.ids.add(id);
    if (seq > bucket.last) bucket.last = seq;
    else bucket.ordered = false;
  }

  remove(key: string, id: string): void {
    const bucket = this.buckets.get(key);
    if (bucket === undefined) return;
    if (typeof bucket === 'string') {
      if (bucket === id) this.buckets.delete(key);
      return;
    }
    if (!bucket.ids.delete(id)) return;
    if (bucket.ids.size === 1) this.buckets.set(key, bucket.ids.values().next().value as string);
  }

  /** How many rows hold `key`. */
  count(key: string): number {
    const bucket = this.buckets.get(key);
    return bucket === undefined ? 0 : typeof bucket === 'string' ? 1 : bucket.ids.size;
  }

  /** The ids of the rows holding `key`, in seq order (the rows Map's order). */
  ids(key: string): string[] {
    const bucket = this.buckets.get(key);
    if (bucket === undefined) return [];
    if (typeof bucket === 'string') return [bucket];
    return [...this.ordered(bucket)];
  }

  /** The oldest row holding `key` (the first in the rows Map's order). */
  first(key: string): string | undefined {
    const bucket = this.buckets.get(key);
    if (bucket === undefined || typeof bucket === 'string') return bucket;
    return this.ordered(bucket).values().next().value as string;
  }

  /** Distinct keys held. */
  get size(): number {
    return this.buckets.size;
  }

  private ordered(bucket: Many): Set<string> {
    if (!bucket.ordered) {
      const ids = sortBySeq(bucket.ids, this.seqOf);
      bucket.ids = new Set(ids);
      bucket.ordered = true;
      bucket.last = this.seqOf(ids[ids.length - 1]);
    }
    return bucket.ids;
  }
}

/** Where an index reads its key from a row: the field's value (null/undefined: no key). */
export type IndexedValue<R> = (row: R) => unknown;
/** Where a multi-valued index reads its keys (e.g. a field of each nested row). */
export type IndexedValues<R> = (row: R) => readonly unknown[];

/** The ids of the rows a condition selects, and how many there are (see {@link RowIndexes.find}). */
export interface FoundIds {
  readonly size: number;
  ids(): readonly string[];
}

/** The key of a value as the engine compares a string field: `String(value)`, none for null/undefined. */
const keyOf = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : value === null || value === undefined ? undefined : String(value);

const NO_KEYS: readonly string[] = [];

/**
 * The indexes of one read model: over its rows Map (`id` → row, the id being the rows' `uuid`), one
 * {@link EqualityIndex} per indexed field, and the sequence the rows are numbered by.
 *
 * The model calls `seqFor` to number a row it sets, and `update` after each change of a row (set or
 * deleted), passing the row before and after. Everything lives in this object and in the rows Map:
 * a model whose properties are replaced by another model's (`Object.assign(model, fresh)` in
 * Projection.rebuild) takes the other's rows and indexes together, and they agree.
 */
export class RowIndexes<R extends Sequenced> {
  private readonly single: ReadonlyArray<readonly [EqualityIndex, IndexedValue<R>]>;
  private readonly multi: ReadonlyArray<readonly [EqualityIndex, IndexedValues<R>]>;
  private readonly byField = new Map<string, EqualityIndex>();
  private nextSeq = 0;
  private readonly seqOf: (id: string) => number;

  /**
   * `fields`: indexed fields and where each reads its key; `multi`: indexes with several keys per
   * row. `idField` names the field whose value is the row's id: a lookup on it needs no index.
   */
  constructor(
    private readonly rows: ReadonlyMap<string, R>,
    fields: Readonly<Record<string, IndexedValue<R>>>,
    multi: Readonly<Record<string, IndexedValues<R>>> = {},
    private readonly idField = 'uuid',
  ) {
    this.seqOf = (id) => {
      const row = rows.get(id);
      if (row === undefined) throw new Error(`row index: no row ${id} (add a row to the index after setting it)`);
      return row.seq;
    };
    const make = (field: string) => {
      if (this.byField.has(field) || field === idField) throw new Error(`row index: field ${field} is given twice`);
      const index = new EqualityIndex(this.seqOf);
      this.byField.set(field, index);
      return index;
    };
    this.single = Object.entries(fields).map(([field, value]) => [make(field), value] as const);
    this.multi = Object.entries(multi).map(([field, values]) => [make(field), values] as const);
  }

  /** The seq of a row about to be set: `before`'s (it keeps its place in the Map), else the next one. */
  seqFor(before: R | undefined): number {
    return before === undefined ? this.nextSeq++ : before.seq;
  }

  /**
   * Reindexes row `id` after it changed: `before` what the Map held (undefined: the row is new),
   * `after` what it holds now (undefined: deleted). Call it once `after` is in the Map.
   */
  update(id: string, before: R | undefined, after: R | undefined): void {
    for (const [index, valueOf] of this.single) {
      const old = before === undefined ? undefined : keyOf(valueOf(before));
      const now = after === undefined ? undefined : keyOf(valueOf(after));
      if (old === now) continue;
      if (old !== undefined) index.remove(old, id);
      if (now !== undefined) index.add(now, id);
    }
    for (const [index, valuesOf] of this.multi) {
      const old = before === undefined ? NO_KEYS : keysOf(valuesOf(before));
      const now = after === undefined ? NO_KEYS : keysOf(valuesOf(after));
      if (old.length === now.length && old.every((k, i) => k === now[i])) continue;
      for (const k of old) if (!now.includes(k)) index.remove(k, id);
      for (const k of now) index.add(k, id);
    }
  }

  /** The index of `field` (throws when it is not indexed). */
  index(field: string): EqualityIndex {
    const index = this.byField.get(field);
    if (index === undefined) throw new Error(`row index: field ${field} is not indexed`);
    return index;
  }

  /**
   * The rows whose `field` is one of `values`, as ids in the rows Map's order, with their number
   * (counted without reading them); undefined when `field` is neither the id field nor indexed.
   */
  find(field: string, values: readonly string[]): FoundIds | undefined {
    const keys = values.length <= 1 ? values : [...new Set(values)];
    if (field === this.idField) {
      const ids = keys.filter((k) => this.rows.has(k));
      return { size: ids.length, ids: () => (ids.length > 1 ? sortBySeq(ids, this.seqOf) : ids) };
    }
    const index = this.byField.get(field);
    if (index === undefined) return undefined;
    if (keys.length === 1) {
      const ids = index.ids(keys[0]);
      return { size: ids.length, ids: () => ids };
    }
    let size = 0;
    for (const k of keys) size += index.count(k);
    return {
      size,
      ids: () => {
        // A row of a multi-valued index can hold several of the keys: once each.
        const union = new Set<string>();
        for (const k of keys) for (const id of index.ids(k)) union.add(id);
        return sortBySeq(union, this.seqOf);
      },
    };
  }

  /**
   * A {@link QuerySource.lookup} answer: the rows `find` selects, each mapped by `view` (undefined
   * leaves the row out: that is where a source applies who may see what). It is `exact`: the field
   * of what `view` returns must be the value the index read from the row (for the id field, the id).
   */
  lookup<T>(field: string, values: readonly string[], view: (row: R, id: string) => T | undefined): Candidates<T> | undefined {
    const found = this.find(field, values);
    if (found === undefined) return undefined;
    const rows = this.rows;
    // An array, not a generator: the rows are few, and a generator per query costs more than they do.
    return {
      size: found.size,
      exact: true,
      rows: () => {
        const out: T[] = [];
        for (const id of found.ids()) {
          const row = rows.get(id);
          const t = row === undefined ? undefined : view(row, id);
          if (t !== undefined) out.push(t);
        }
        return out;
      },
    };
  }

  /**
   * Like `lookup`, for sources whose rows are nested in the model's rows (several per row): yields
   * every nested row of the model's rows selected (not exact: the engine checks the condition).
   */
  lookupEach<T>(field: string, values: readonly string[], view: (row: R, id: string) => Iterable<T>): Candidates<T> | undefined {
    const found = this.find(field, values);
    if (found === undefined) return undefined;
    const rows = this.rows;
    return {
      size: found.size,
      rows: () => {
        const out: T[] = [];
        for (const id of found.ids()) {
          const row = rows.get(id);
          if (row !== undefined) for (const t of view(row, id)) out.push(t);
        }
        return out;
      },
    };
  }
}

/** The distinct keys of a multi-valued index's values, in their order. */
function keysOf(values: readonly unknown[]): readonly string[] {
  const keys: string[] = [];
  for (const v of values) {
    const k = keyOf(v);
    if (k !== undefined && !keys.includes(k)) keys.push(k);
  }
  return keys;
}
