/**
 * The plain-data shapes of a ZStack query. A {@link QueryRequest} is built by the gateway from the
 * HTTP query string, travels over NATS as JSON, and is run by a service against its read model.
 */

/** How a field's values compare: its type in the read model's schema. */
export type FieldType = 'string' | 'number' | 'boolean' | 'date';

/** The queryable (and sortable, projectable) fields of one inventory, with their types. */
export type FieldSchema = Readonly<Record<string, FieldType>>;

/** ZStack's QueryOp values (header/query/QueryOp.java), as they appear in an APIQueryMessage condition. */
export const OPS = [
  '=',
  '!=',
  '>',
  '>=',
  '<',
  '<=',
  'in',
  'not in',
  'like',
  'not like',
  'is null',
  'is not null',
] as const;
export type Op = (typeof OPS)[number];

/**
 * One condition of a query. `value` carries the operand of the scalar operators (`=`, `!=`, `>`, `>=`,
 * `<`, `<=`, `like`, `not like`); `values` the list of `in` / `not in`; neither is used by `is null`
 * / `is not null`.
 */
export interface Condition {
  field: string;
  op: Op;
  value?: string;
  values?: string[];
}

export interface QuerySort {
  field: string;
  direction: 'asc' | 'desc';
}

/** A whole query. Plain data: JSON-serialisable as it is. */
export interface QueryRequest {
  /** ANDed. */
  conditions: Condition[];
  /** Page size (ZStack's default is 1000). */
  limit: number;
  /** Offset of the page in the matching rows. */
  start: number;
  /** Reply `{ total }` only. */
  count: boolean;
  /** Reply the page and `total`, the number of matching rows regardless of `start`/`limit`. */
  replyWithCount: boolean;
  sort?: QuerySort;
  /** Project each row to these fields only. */
  fields?: string[];
}

/**
 * A read model the engine can query: a scan, and optionally a point lookup by uuid and equality
 * lookups on indexed fields.
 */
export interface QuerySource<T> {
  /** Every row the caller may see, in the source's order (the order of a reply without sort). */
  all(): Iterable<T>;
  /** The row `uuid`, if the caller may see it (answers `uuid=<x>` when there is no `lookup`). */
  get?(uuid: string): T | undefined;
  /**
   * The rows for a condition `field = v` or `field in (v1, v2...)` on a string field, or undefined
   * when `field` is not indexed. `values` holds the condition's values, exactly as the engine
   * compares them with the rows' (as strings). The answer's `rows()` must yield, in the order of
   * `all()`, every row of `all()` whose field is one of `values`; unless the answer says it is
   * `exact`, it may yield other rows of `all()` too (the engine then checks this condition as well). `size` is what the engine compares
   * to choose among several indexed conditions: the number of rows yielded, or an estimate of it.
   * See RowIndexes (row-index.ts), which builds such answers for a read model.
   */
  lookup?(field: string, values: readonly string[]): Candidates<T> | undefined;
}

/** The rows a {@link QuerySource.lookup} offers for a condition (lazily: only the chosen ones are read). */
export interface Candidates<T> {
  readonly size: number;
  rows(): Iterable<T>;
  /**
   * Every row `rows()` yields satisfies the condition (its field, as the engine reads it, is one of
   * the values): the engine does not check that condition again, only the others.
   */
  readonly exact?: boolean;
}

/** The body of a query reply: `{ inventories }`, `{ inventories, total }` or `{ total }`. */
export interface QueryResult {
  inventories?: Record<string, unknown>[];
  total?: number;
}

/** ZStack's default `limit` (APIQueryMessage.limit). */
export const DEFAULT_LIMIT = 1000;

/** How a service runs queries (the second half of runQuery's contract: not part of the request). */
export interface QueryOptions {
  /**
   * The query's CPU time budget in milliseconds (default {@link DEFAULT_QUERY_TIME_LIMIT_MS}): past it
   * the query fails with SYS.1006. A query runs synchronously and holds its service meanwhile; this
   * bounds how long one request can make the others wait. `Infinity`: no bound.
   */
  timeLimitMs?: number;
  /** Milliseconds from any fixed origin (default `performance.now()`); for tests. */
  clock?: () => number;
}

/** The default {@link QueryOptions.timeLimitMs}: services pass their QUERY_TIME_LIMIT_MS. */
export const DEFAULT_QUERY_TIME_LIMIT_MS = 1000;
