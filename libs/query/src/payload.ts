/**
 * The service side of the wire: a QueryRequest arrives over NATS as untyped JSON. This checks its
 * shape and returns a clean QueryRequest (only the known keys), or throws SYS.1007. Field names and
 * values are checked later, against the schema, by runQuery.
 */
import { invalidArgument } from '@cp/contracts';
import { DEFAULT_LIMIT, OPS, type Condition, type Op, type QueryRequest } from './types';

const KNOWN_OPS: ReadonlySet<string> = new Set<string>(OPS);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

/**
 * A QueryRequest from a bus payload. Absent keys take the query-string defaults (no conditions,
 * limit 1000, start 0, no count); present keys must have the right type.
 */
export function requestFromPayload(payload: unknown): QueryRequest {
  if (!isObject(payload)) throw invalidArgument('the query must be an object');
  const { conditions = [], limit = DEFAULT_LIMIT, start = 0, count = false, replyWithCount = false, sort, fields } = payload;

  if (!Array.isArray(conditions)) throw invalidArgument(`the query's 'conditions' must be a list`);
  const request: QueryRequest = {
    conditions: conditions.map(conditionFromPayload),
    limit: nonNegativeInt('limit', limit),
    start: nonNegativeInt('start', start),
    count: bool('count', count),
    replyWithCount: bool('replyWithCount', replyWithCount),
  };
  if (sort !== undefined) {
    if (!isObject(sort) || typeof sort.field !== 'string' || (sort.direction !== 'asc' && sort.direction !== 'desc')) {
      throw invalidArgument(`the query's 'sort' must be { field, direction: 'asc' | 'desc' }`);
    }
    request.sort = { field: sort.field, direction: sort.direction };
  }
  if (fields !== undefined) {
    if (!isStringList(fields) || fields.length === 0) {
      throw invalidArgument(`the query's 'fields' must be a non-empty list of field names`);
    }
    request.fields = [...fields];
  }
  return request;
}

function conditionFromPayload(c: unknown): Condition {
  if (!isObject(c) || typeof c.field !== 'string' || typeof c.op !== 'string' || !KNOWN_OPS.has(c.op)) {
    throw invalidArgument(`a query condition must be { field, op, value? | values? } with op one of [${OPS.join(', ')}]`);
  }
  const condition: Condition = { field: c.field, op: c.op as Op };
  if (c.value !== undefined) {
    if (typeof c.value !== 'string') throw invalidArgument(`the value of the condition on field[${c.field}] must be a string`);
    condition.value = c.value;
  }
  if (c.values !== undefined) {
    if (!isStringList(c.values)) {
      throw invalidArgument(`the values of the condition on field[${c.field}] must be a list of strings`);
    }
    condition.values = [...c.values];
  }
  return condition;
}

function nonNegativeInt(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    throw invalidArgument(`the query's '${name}' must be a non-negative integer`);
  }
  return v;
}

function bool(name: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw invalidArgument(`the query's '${name}' must be a boolean`);
  return v;
}
