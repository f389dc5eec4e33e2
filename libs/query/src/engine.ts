/**
 * The query engine: runs a {@link QueryRequest} over a service's in-memory read model.
 *
 * Conditions are compiled once per query (values parsed, LIKE patterns compiled into backtracking-free
 * matchers, lists into Sets) into predicates that read only their own field of a row; the rows are then
 * filtered in one pass. Without a sort and without a total the scan stops as soon as the page is full. Only
 * the fields a query names (conditions, sort, projection) are ever read from a row.
 *
 * Which rows are read: when the source indexes a field (`lookup`), the most selective of the top-level
 * `=` / `in` conditions on indexed string fields is answered from the index, and only the rows it offers
 * are filtered (by the other conditions; by that one too unless the index says its rows all satisfy it),
 * sorted, paged, counted and projected. The index offers them in the order of the scan, so the reply is
 * the scan's. Else a `uuid=<x>` condition is answered by the source's `get` when it has one, and anything
 * else by the scan.
 *
 * A query runs synchronously, so while it runs its service answers nothing else: its CPU time is
 * bounded by a budget ({@link QueryOptions.timeLimitMs}). The clock is read every few hundred rows
 * (and comparisons of the sort, and positions of a long LIKE scan); past the budget the query fails
 * with SYS.1006 instead of starving the other requests.
 */
import { invalidArgument, operationError } from '@cp/contracts';
import { compileLike, type Tick } from './like';
import {
  DEFAULT_QUERY_TIME_LIMIT_MS,
  type Candidates,
  OPS,
  type Condition,
  type FieldSchema,
  type FieldType,
  type QueryOptions,
  type QueryRequest,
  type QueryResult,
  type QuerySource,
} from './types';
import { parseBoolean, parseDate, parseNumber, splitInValues } from './values';

type Row = Record<string, unknown>;
type Predicate = (row: Row) => boolean;

/** How many units of work (rows, sort comparisons, LIKE positions) run between two reads of the clock. */
const WORK_PER_CLOCK_READ = 256;

/**
 * The query's time budget: `tick()` counts one unit of work and, every {@link WORK_PER_CLOCK_READ}
 * units, throws SYS.1006 once `limitMs` have passed since the query started.
 */
function budget(limitMs: number, clock: () => number): Tick {
  const started = clock();
  let work = 0;
  return () => {
    if (++work % WORK_PER_CLOCK_READ !== 0) return;
    if (clock() - started >= limitMs) {
      throw operationError(
        `the query took longer than ${limitMs} ms and was stopped; narrow it with q conditions (simpler ~= patterns) or a smaller limit`,
      );
    }
  };
}

/**
 * A comparable form of a value: strings for string fields, numbers for the others (epoch milliseconds
 * for dates, 0/1 for booleans). Both sides of a comparison always have the same JS type, so `<`, `>`
 * and `===` have the intended meaning for either.
 */
type Key = string | number;
type KeyOf = (value: unknown) => Key | null;

const hasOwn = (o: object, key: string) => Object.prototype.hasOwnProperty.call(o, key);

/**
 * The comparable form of a row's value, or null when it is absent (null/undefined) or not of the field's
 * type: such a value matches no comparison, only `is null` when it is null or undefined (SQL semantics).
 */
const ROW_KEY: Readonly<Record<FieldType, KeyOf>> = {
  string: (v) => (typeof v === 'string' ? v : v === null || v === undefined ? null : String(v)),
  number: (v) =>
    typeof v === 'number' ? (Number.isNaN(v) ? null : v) : typeof v === 'string' ? parseNumber(v.trim()) : null,
  boolean: (v) => {
    const b = typeof v === 'boolean' ? v : typeof v === 'string' ? parseBoolean(v) : null;
    return b === null ? null : b ? 1 : 0;
  },
  date: (v) => {
    if (typeof v === 'string') return parseDate(v);
    if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.getTime();
    return typeof v === 'number' && Number.isFinite(v) ? v : null;
  },
};

const KNOWN_OPS: ReadonlySet<string> = new Set<string>(OPS);

/**
 * Validates `request` against `schema` and runs it over `source`. Invalid field names (in a condition,
 * the sort or the projection), unparsable values and malformed requests throw ZStackError SYS.1007; a
 * query that runs past `options.timeLimitMs` (default {@link DEFAULT_QUERY_TIME_LIMIT_MS}) throws
 * SYS.1006 saying so.
 */
export function runQuery<T extends object>(
  source: QuerySource<T>,
  request: QueryRequest,
  schema: FieldSchema,
  options: QueryOptions = {},
): QueryResult {
  const timeLimitMs = options.timeLimitMs ?? DEFAULT_QUERY_TIME_LIMIT_MS;
  if (typeof timeLimitMs !== 'number' || Number.isNaN(timeLimitMs) || timeLimitMs < 0) {
    throw new RangeError(`timeLimitMs must be a non-negative number, got ${String(timeLimitMs)}`);
  }
  const tick = budget(timeLimitMs, options.clock ?? (() => performance.now()));
  checkShape(request);
  const predicates = request.conditions.map((c) => compileCondition(c, schema, tick));
  const sort = request.sort;
  if (sort !== undefined) {
    if (!hasOwn(schema, sort.field)) throw invalidArgument(`sort field[${sort.field}] is invalid, no such field`);
    if (sort.direction !== 'asc' && sort.direction !== 'desc') {
      throw invalidArgument(`sort direction[${String(sort.direction)}] is invalid, it must be asc or desc`);
    }
  }
  const fields = request.fields;
  if (fields !== undefined) {
    if (!Array.isArray(fields) || fields.length === 0) throw invalidArgument(`'fields' must name at least one field`);
    for (const f of fields) {
      if (!hasOwn(schema, f)) throw invalidArgument(`field[${f}] in 'fields' is invalid, no such field`);
    }
  }

  const { rows, answered } = candidates(source, request.conditions, schema);
  // The condition an exact index lookup answered holds for every row it offers: not checked again.
  if (answered !== undefined) predicates.splice(answered, 1);
  const matches = (row: T): boolean => {
    tick();
    for (let i = 0; i < predicates.length; i++) if (!predicates[i](row as Row)) return false;
    return true;
  };
  const { start, limit } = request;

  if (request.count) {
    let total = 0;
    for (const row of rows) if (matches(row)) total++;
    return { total };
  }

  let page: T[];
  let total = 0;
  if (sort === undefined) {
    // In the source's order; early exit once the page is full unless a total is wanted.
    const end = start + limit;
    page = [];
    if (limit > 0 || request.replyWithCount) {
      for (const row of rows) {
        if (!matches(row)) continue;
        if (total >= start && total < end) page.push(row);
        total++;
        if (total >= end && !request.replyWithCount) break;
      }
    }
  } else {
    const keyOf = ROW_KEY[schema[sort.field]];
    const keyed: { row: T; key: Key | null }[] = [];
    for (const row of rows) {
      if (matches(row)) keyed.push({ row, key: keyOf((row as Row)[sort.field]) });
    }
    total = keyed.length;
    // Array.prototype.sort is stable; nulls first ascending (MySQL's order), hence last descending.
    keyed.sort(
      sort.direction === 'asc'
        ? (a, b) => {
            tick();
            return compareKeyed(a, b);
          }
        : (a, b) => {
            tick();
            return compareKeyed(b, a);
          },
    );
    page = keyed.slice(start, start + limit).map((k) => k.row);
  }

  let inventories: Row[];
  if (fields === undefined) inventories = page as unknown as Row[];
  else {
    const wanted = new Set(fields);
    inventories = page.map((row) => {
      tick();
      return project(row, wanted);
    });
  }
  return request.replyWithCount ? { inventories, total } : { inventories };
}

function compareKeyed(a: { key: Key | null }, b: { key: Key | null }): number {
  if (a.key === b.key) return 0;
  if (a.key === null) return -1;
  if (b.key === null) return 1;
  return a.key < b.key ? -1 : 1;
}

function checkShape(request: QueryRequest): void {
  for (const name of ['limit', 'start'] as const) {
    const n = request[name];
    if (!Number.isSafeInteger(n) || n < 0) throw invalidArgument(`'${name}' must be a non-negative integer, got ${String(n)}`);
  }
  if (!Array.isArray(request.conditions)) throw invalidArgument(`'conditions' must be a list`);
}

/**
 * The rows to filter, and the index of the condition they all satisfy (an exact lookup's), if any.
 * The source's `lookup` for each top-level `=` / `in` condition on a string field, the smallest
 * answer winning (the first of equals); else, for `uuid=<x>` and a source with `get`, at most that
 * one row; else the whole scan. Called once the conditions are compiled (valid).
 */
function candidates<T>(
  source: QuerySource<T>, conditions: readonly Condition[], schema: FieldSchema,
): { rows: Iterable<T>; answered?: number } {
  if (source.lookup !== undefined) {
    let best: Candidates<T> | undefined;
    let bestAt = -1;
    for (let i = 0; i < conditions.length; i++) {
      const c = conditions[i];
      if (schema[c.field] !== 'string') continue;
      const values = c.op === '=' ? [c.value as string] : c.op === 'in' ? inList(c) : undefined;
      if (values === undefined) continue;
      const found = source.lookup(c.field, values);
      if (found !== undefined && (best === undefined || found.size < best.size)) {
        best = found;
        bestAt = i;
      }
      if (best !== undefined && best.size === 0) break;
    }
    if (best !== undefined) return { rows: best.rows(), answered: best.exact === true ? bestAt : undefined };
  }
  if (source.get !== undefined) {
    const byUuid = conditions.find((c) => c.field === 'uuid' && c.op === '=' && typeof c.value === 'string');
    if (byUuid !== undefined) {
      const row = source.get(byUuid.value as string);
      return { rows: row === undefined ? [] : [row] };
    }
  }
  return { rows: source.all() };
}

/**
 * One condition as a predicate over a row. Reads `row[field]` only.
 *
 * An unknown field is SYS.1007 naming it. ZStack itself answers SYS.1000 (an internal error) for a
 * condition on a field its inventory does not have; we deliberately answer the clearer invalid-argument.
 * Dotted names (ZStack's expanded queries, `vmNics.ip=...`) are not supported and are unknown fields.
 */
function compileCondition(condition: Condition, schema: FieldSchema, tick: Tick): Predicate {
  const { field, op } = condition;
  if (typeof field !== 'string' || !hasOwn(schema, field)) {
    throw invalidArgument(
      `condition name[${String(field)}] is invalid, no such field; the queryable fields are [${Object.keys(schema).join(', ')}]`,
    );
  }
  if (typeof op !== 'string' || !KNOWN_OPS.has(op)) {
    throw invalidArgument(`the operator[${String(op)}] of the condition on field[${field}] is invalid`);
  }
  const type = schema[field];
  const keyOf = ROW_KEY[type];

  switch (op) {
    case 'is null':
      return (row) => row[field] === null || row[field] === undefined;
    case 'is not null':
      return (row) => row[field] !== null && row[field] !== undefined;
    case 'in':
    case 'not in': {
      const list = inList(condition);
      if (!Array.isArray(list) || list.some((v) => typeof v !== 'string')) {
        throw invalidArgument(`the condition on field[${field}] with operator[${op}] has no list of values`);
      }
      const set = new Set(list.map((v) => queryKey(field, type, v)));
      if (op === 'in') {
        return (row) => {
          const k = keyOf(row[field]);
          return k !== null && set.has(k);
        };
      }
      return (row) => {
        const k = keyOf(row[field]);
        return k !== null && !set.has(k);
      };
    }
  }

  const value = condition.value;
  if (typeof value !== 'string') {
    throw invalidArgument(`the condition on field[${field}] with operator[${op}] has no value`);
  }
  if (op === 'like' || op === 'not like') {
    if (type !== 'string') {
      throw invalidArgument(`operator[${op}] is not supported on field[${field}] of type ${type}`);
    }
    const like = compileLike(value);
    if (op === 'like') {
      return (row) => {
        const k = keyOf(row[field]);
        return k !== null && like.matches(k as string, tick);
      };
    }
    return (row) => {
      const k = keyOf(row[field]);
      return k !== null && !like.matches(k as string, tick);
    };
  }

  const q = queryKey(field, type, value);
  switch (op) {
    case '=':
      return (row) => keyOf(row[field]) === q;
    case '!=':
      return (row) => {
        const k = keyOf(row[field]);
        return k !== null && k !== q;
      };
    case '>':
      return (row) => {
        const k = keyOf(row[field]);
        return k !== null && k > q;
      };
    case '>=':
      return (row) => {
        const k = keyOf(row[field]);
        return k !== null && k >= q;
      };
    case '<':
      return (row) => {
        const k = keyOf(row[field]);
        return k !== null && k < q;
      };
    case '<=':
      return (row) => {
        const k = keyOf(row[field]);
        return k !== null && k <= q;
      };
  }
  // Unreachable: every Op is handled above.
  throw invalidArgument(`the operator[${String(op)}] of the condition on field[${field}] is invalid`);
}

/** The list of an `in` / `not in` condition: `values`, else its `value` split at commas (unchecked). */
function inList(condition: Condition): string[] | undefined {
  return condition.values ?? (typeof condition.value === 'string' ? splitInValues(condition.value) : undefined);
}

/**
 * The comparable form of a condition's value: strings as given (exact, case-sensitive); numbers,
 * booleans and dates parsed, surrounding blanks ignored; unparsable is SYS.1007 naming the field.
 */
function queryKey(field: string, type: FieldType, value: string): Key {
  if (type === 'string') return value;
  const text = value.trim();
  let key: Key | null;
  let expected: string;
  switch (type) {
    case 'number':
      key = parseNumber(text);
      expected = 'a number';
      break;
    case 'boolean': {
      const b = parseBoolean(text);
      key = b === null ? null : b ? 1 : 0;
      expected = 'true or false';
      break;
    }
    case 'date':
      key = parseDate(text);
      expected = "a date: ISO-8601, 'yyyy-MM-dd HH:mm:ss' (UTC) or epoch milliseconds";
      break;
  }
  if (key === null) throw invalidArgument(`the value[${value}] of the condition on field[${field}] is invalid, it must be ${expected}`);
  return key;
}

/**
 * The row reduced to `fields`, in the row's own key order (ZStack's field order). Only the wanted
 * properties are read: `Object.keys` lists names without reading values, so a large or computed property
 * that was not asked for is never touched. Null and undefined values are omitted, as ZStack omits nulls.
 */
function project(row: object, wanted: ReadonlySet<string>): Row {
  const source = row as Row;
  const out: Row = {};
  let seen = 0;
  for (const key of Object.keys(row)) {
    if (!wanted.has(key)) continue;
    seen++;
    const v = source[key];
    if (v !== undefined && v !== null) out[key] = v;
  }
  if (seen < wanted.size) {
    // Wanted fields that are not own enumerable properties (e.g. getters of a class): appended.
    for (const f of wanted) {
      if (hasOwn(out, f) || !(f in row) || Object.prototype.propertyIsEnumerable.call(row, f)) continue;
      const v = source[f];
      if (v !== undefined && v !== null) out[f] = v;
    }
  }
  return out;
}
