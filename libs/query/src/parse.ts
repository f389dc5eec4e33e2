/**
 * The REST layer of a query: ZStack's RestServer.handleQueryApi, turning an HTTP query string into a
 * {@link QueryRequest}. Only the syntax is checked here (plain-text 400s, as ZStack's RestException);
 * field names and typed values are checked by the engine against the inventory's schema (SYS.1007).
 */
import { RestError } from '@cp/contracts';
import { DEFAULT_LIMIT, type Condition, type Op, type QueryRequest, type QuerySort } from './types';
import { parseBoolean, splitInValues } from './values';

/**
 * The operators of a `q` condition, in ZStack's QUERY_OP_MAPPING order, which is the matching
 * precedence: the first one the condition *contains* (anywhere) wins, so an operator contained in
 * another one comes after it. The consequence is part of the wire contract: `q=name=a>=b` is the
 * condition `name=a` `>=` `b`, not `name` `=` `a>=b`.
 */
export const QUERY_OPERATORS: ReadonlyArray<readonly [delimiter: string, op: Op]> = [
  ['!=', '!='],
  ['>=', '>='],
  ['<=', '<='],
  ['!?=', 'not in'],
  ['!~=', 'not like'],
  ['~=', 'like'],
  ['?=', 'in'],
  ['=', '='],
  ['>', '>'],
  ['<', '<'],
  ['is null', 'is null'],
  ['not null', 'is not null'],
];

const OPERATOR_LIST = `[${QUERY_OPERATORS.map(([delimiter]) => delimiter).join(', ')}]`;

type RawQuery = Record<string, string | string[] | undefined>;

/**
 * Parses fastify's query object (a string, or an array for a repeated key). Recognised: `q`
 * (repeatable, every value used), `limit`, `start`, `count`, `replyWithCount`, `sort`, `fields`;
 * of the others only the first value is used. Everything else is ignored, notably ZStack's `groupBy`
 * and `filterName`, which no client of ours relies on. Throws {@link RestError}(400).
 */
export function parseQueryString(query: RawQuery): QueryRequest {
  const request: QueryRequest = {
    conditions: [],
    limit: DEFAULT_LIMIT,
    start: 0,
    count: false,
    replyWithCount: false,
  };

  for (const [rawName, raw] of Object.entries(query)) {
    if (raw === undefined) continue;
    const name = rawName.trim(); // ZStack trims the parameter name
    if (name === 'q') {
      // Not trimmed: a condition's value keeps its blanks.
      for (const cond of Array.isArray(raw) ? raw : [raw]) request.conditions.push(parseCondition(cond));
      continue;
    }
    const first = Array.isArray(raw) ? raw[0] : raw;
    if (first === undefined) continue;
    const value = first.trim(); // ZStack trims every other parameter's value
    switch (name) {
      case 'limit':
        request.limit = parseNonNegativeInt('limit', value);
        break;
      case 'start':
        request.start = parseNonNegativeInt('start', value);
        break;
      case 'count':
        request.count = parseBooleanParam('count', value);
        break;
      case 'replyWithCount':
        request.replyWithCount = parseBooleanParam('replyWithCount', value);
        break;
      case 'sort':
        request.sort = parseSort(value);
        break;
      case 'fields':
        request.fields = parseFields(value);
        break;
      // 'groupBy', 'filterName' and anything else: ignored.
    }
  }
  return request;
}

/** The query of a `GET /{resources}/{uuid}` path: `uuid=<uuid>` and the defaults; the query string is ignored. */
export function queryByUuid(uuid: string): QueryRequest {
  return {
    conditions: [{ field: 'uuid', op: '=', value: uuid }],
    limit: DEFAULT_LIMIT,
    start: 0,
    count: false,
    replyWithCount: false,
  };
}

/** One `q` value, e.g. `name=vm1`, `cpuNum>=2`, `uuid?=a,b`, `description is null`. */
export function parseCondition(cond: string): Condition {
  const found = QUERY_OPERATORS.find(([delimiter]) => cond.includes(delimiter));
  if (found === undefined) {
    throw new RestError(
      400,
      `Invalid query parameter. The '${cond}' in the parameter[q] doesn't contain any query operator.` +
        ` Valid query operators are ${OPERATOR_LIST}`,
    );
  }
  const [delimiter, op] = found;
  const parts = splitByWholeSeparator(cond, delimiter);
  if (op === 'is null' || op === 'is not null') {
    // As ZStack: whatever follows the operator is ignored.
    return { field: (parts[0] ?? '').trim(), op };
  }
  if (parts.length !== 2) {
    throw new RestError(
      400,
      `Invalid query parameter. The '${cond}' in parameter[q] is not a key-value pair split by ${delimiter}`,
    );
  }
  const field = parts[0].trim();
  const value = parts[1]; // not trimmed: a blank is valid in some conditions
  if (op === 'in' || op === 'not in') return { field, op, values: splitInValues(value) };
  return { field, op, value };
}

/**
 * Apache commons-lang `StringUtils.splitByWholeSeparator(str, separator, 2)`, which ZStack splits a
 * condition with. Unlike a plain split on the first occurrence, empty tokens are dropped: adjacent
 * separators collapse (`name==x` is `name`, `x`) and a leading separator yields a single token
 * (`=x` is `x` alone, hence not a key-value pair). A trailing separator still yields an empty value
 * (`name=` is `name`, ``).
 */
function splitByWholeSeparator(str: string, separator: string): string[] {
  const tokens: string[] = [];
  let begin = 0;
  for (;;) {
    const end = str.indexOf(separator, begin);
    if (end < 0) {
      if (str.length > 0) tokens.push(str.slice(begin));
      return tokens;
    }
    if (end > begin) {
      if (tokens.length === 1) {
        tokens.push(str.slice(begin));
        return tokens;
      }
      tokens.push(str.slice(begin, end));
    }
    begin = end + separator.length;
  }
}

const INTEGER = /^[+-]?\d+$/;
// ZStack parses with Java's Integer.valueOf: a 32-bit signed integer.
const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

function parseNonNegativeInt(name: 'limit' | 'start', value: string): number {
  const n = Number(value);
  if (!INTEGER.test(value) || n < INT_MIN || n > INT_MAX) {
    throw new RestError(400, `Invalid query parameter. '${name}' must be an integer`);
  }
  if (n < 0) throw new RestError(400, `Invalid query parameter. '${name}' must not be negative`);
  return n + 0; // -0 → 0
}

/**
 * `true` / `false`, case-insensitive. Stricter than ZStack (Java's Boolean.parseBoolean reads any other
 * text as false): a typo is answered with a 400 rather than silently ignored.
 */
function parseBooleanParam(name: string, value: string): boolean {
  const b = parseBoolean(value);
  if (b === null) throw new RestError(400, `Invalid query parameter. '${name}' must be a boolean, true or false`);
  return b;
}

/** `+field` ascending, `-field` descending, bare `field` ascending (leading signs stripped as ZStack's stripStart). */
function parseSort(value: string): QuerySort {
  let direction: QuerySort['direction'] = 'asc';
  let field = value;
  if (value.startsWith('+')) field = value.replace(/^\++/, '');
  else if (value.startsWith('-')) {
    direction = 'desc';
    field = value.replace(/^-+/, '');
  }
  field = field.trim();
  if (field === '') throw new RestError(400, `Invalid query parameter. 'sort' must name a field, as +field or -field`);
  return { field, direction };
}

/** Comma-separated, each name trimmed; blank names dropped, duplicates once. */
function parseFields(value: string): string[] {
  const fields = [...new Set(value.split(',').map((f) => f.trim()))].filter((f) => f !== '');
  if (fields.length === 0) throw new RestError(400, `Invalid query parameter. 'fields' must not be empty`);
  return fields;
}
