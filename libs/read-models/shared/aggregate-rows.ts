import { rowsFromJson, rowsToJson, type Loaded, type StoredEvent } from '@cp/event-store';
import { RowIndexes, type IndexedValue, type IndexedValues, type QuerySource } from '@cp/query';

/** One aggregate as a read model keeps it: its state, the stream version it was built to, its place in `rows`. */
export interface AggregateRow<S> {
  state: S;
  version: bigint;
  /** The row's place in `rows` (see RowIndexes). */
  seq: number;
}

/** What makes one kind of aggregate's rows: the domain's fold, what counts as gone, the row of an event, the indexes. */
export interface AggregateRowsSpec<S, E> {
  /** The domain's `evolve`: the state after `event` (null, or undefined for an event it does not know: no row). */
  evolve(state: S | null, event: E): S | null | undefined;
  /** Whether a state the fold returns counts as gone all the same (e.g. a `deleted` flag). Default: only no state is. */
  gone?(state: S): boolean;
  /** The row an event belongs to. Default: its `data.uuid`. */
  key?(event: StoredEvent): string;
  /** Indexed fields and where each reads its key from a row (see RowIndexes); the row key itself needs none. */
  indexes?: Readonly<Record<string, IndexedValue<AggregateRow<S>>>>;
  /** Indexes with several keys per row (e.g. a field of each nested row). */
  multiIndexes?: Readonly<Record<string, IndexedValues<AggregateRow<S>>>>;
}

const byUuid = (event: StoredEvent): string => String(event.data.uuid);
const never = (): boolean => false;

/**
 * The rows of a read model that holds one kind of aggregate as the log says it is now: one row per
 * aggregate (its latest state and the stream version it was built to), the indexes over them, and
 * what every such model answers: `apply` (a replayed older commit is a no-op; a gone aggregate
 * leaves no row), `snapshot`/`restore` (the `rowsToJson` shape checkpoints hold), `loaded` (the
 * state + version a command starts from), `get` and `size`. A read model extends it with its
 * stream filter and its own queries, reading `rows` and `indexes`.
 *
 * A model may keep something beside its rows (e.g. pooled contents): `admit` decides what is
 * stored for a new state, `removed` hears of a row that goes.
 *
 * Everything lives in own properties (the rows Map and its indexes together): a model whose
 * properties are replaced by another's (`Object.assign(model, fresh)` in Projection.rebuild) takes
 * the other's rows and indexes, and they agree.
 */
export class AggregateRows<S, E> {
  protected readonly rows = new Map<string, AggregateRow<S>>();
  protected readonly indexes: RowIndexes<AggregateRow<S>>;
  private readonly evolve: AggregateRowsSpec<S, E>['evolve'];
  private readonly gone: (state: S) => boolean;
  private readonly keyOf: (event: StoredEvent) => string;

  constructor(spec: AggregateRowsSpec<S, E>) {
    this.evolve = spec.evolve;
    this.gone = spec.gone ?? never;
    this.keyOf = spec.key ?? byUuid;
    this.indexes = new RowIndexes<AggregateRow<S>>(this.rows, spec.indexes ?? {}, spec.multiIndexes);
  }

  apply(event: StoredEvent): void {
    const key = this.keyOf(event);
    const row = this.rows.get(key);
    // A row remembers the version it was built to: a replayed older commit is a no-op.
    if (row && event.streamVersion < row.version) return;
    const next = this.evolve(row?.state ?? null, { type: event.type, data: event.data } as unknown as E);
    if (!next || this.gone(next)) {
      if (row) {
        this.rows.delete(key);
        this.indexes.update(key, row, undefined);
        this.removed(row.state);
      }
      return;
    }
    this.setRow(key, row, this.admit(next, row?.state), event.streamVersion);
  }

  /** The model as JSON: `rowsToJson` (uuid, version as a string, state), in the rows' order. */
  snapshot(): unknown {
    return rowsToJson(this.rows);
  }

  /** Sets the rows of a snapshot (on an empty model, before any event is applied). */
  restore(snapshot: unknown): void {
    for (const [key, restored] of rowsFromJson<S>(snapshot)) {
      const row = this.rows.get(key);
      this.setRow(key, row, this.admit(restored.state, row?.state), restored.version);
    }
  }

  private setRow(key: string, before: AggregateRow<S> | undefined, state: S, version: bigint): void {
    const row: AggregateRow<S> = { state, version, seq: this.indexes.seqFor(before) };
    this.rows.set(key, row);
    this.indexes.update(key, before, row);
  }

  /** The state a command starts from; a stale one only costs a retry (the append checks the version). */
  loaded(key: string): Loaded<S> | undefined {
    const row = this.rows.get(key);
    return row && { state: row.state, version: row.version };
  }

  get(key: string): S | undefined {
    return this.rows.get(key)?.state;
  }

  get size(): number {
    return this.rows.size;
  }

  /**
   * What is stored for `state`, which replaces `before` (undefined: the row is new) after an event
   * or from a snapshot. By default `state` itself.
   */
  protected admit(state: S, _before: S | undefined): S {
    return state;
  }

  /** A row went (its aggregate is gone); `state` was its last. */
  protected removed(_state: S): void {}

  /**
   * A query source over every row, each seen as `view` shows it (undefined: not shown), in the
   * rows' order, answering lookups on the indexed fields (`view` must then show each row's field as
   * the index reads it). It reads the model's rows when asked, not when made.
   */
  protected sourceOf<T>(view: (row: AggregateRow<S>) => T | undefined): QuerySource<T> {
    return {
      all: () => this.viewed(view),
      get: (key) => {
        const row = this.rows.get(key);
        return row === undefined ? undefined : view(row);
      },
      lookup: (field, values) => this.indexes.lookup(field, values, view),
    };
  }

  private *viewed<T>(view: (row: AggregateRow<S>) => T | undefined): Iterable<T> {
    for (const row of this.rows.values()) {
      const t = view(row);
      if (t !== undefined) yield t;
    }
  }
}
