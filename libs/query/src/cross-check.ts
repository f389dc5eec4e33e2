/**
 * Testing aids for sources with indexes: random queries from a fixed seed, and the plain scan of a
 * source, so that a spec can check that the indexed path answers exactly what the scan answers
 * (`runQuery(source, r, s)` against `runQuery(scanOnly(source), r, s)`).
 */
import { isDeepStrictEqual } from 'node:util';
import { runQuery } from './engine';
import type { Condition, FieldSchema, Op, QueryRequest, QueryResult, QuerySource } from './types';

/** A deterministic generator of numbers in [0, 1) (mulberry32). */
export type Rng = () => number;

export function seededRandom(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)];

/** The same rows, by scan only: no `get`, no `lookup`. */
export function scanOnly<T>(source: QuerySource<T>): QuerySource<T> {
  return { all: () => source.all() };
}

/** What random queries are made of. */
export interface RandomQuerySpec {
  schema: FieldSchema;
  /** The values conditions on each field draw from (as a query gives them); a field without any is not queried. */
  values: Readonly<Record<string, readonly string[]>>;
  /** Fields to favour in `=` / `in` conditions (the indexed ones). */
  indexed: readonly string[];
}

const STRING_OPS: readonly Op[] = ['=', '!=', '>', '<=', 'in', 'not in', 'like', 'not like', 'is null', 'is not null'];
const OTHER_OPS: readonly Op[] = ['=', '!=', '>', '>=', '<', 'in', 'not in', 'is null', 'is not null'];

/**
 * A random QueryRequest: 0-3 conditions (most of them `=` / `in` on an indexed field), sometimes a
 * sort, a page, count, replyWithCount, a projection.
 */
export function randomRequest(rng: Rng, spec: RandomQuerySpec): QueryRequest {
  const queryable = Object.keys(spec.values).filter((f) => spec.values[f].length > 0);
  const conditions: Condition[] = [];
  const n = Math.floor(rng() * 4);
  for (let i = 0; i < n; i++) {
    if (rng() < 0.6 && spec.indexed.length > 0) {
      const field = pick(rng, spec.indexed);
      conditions.push(rng() < 0.6 ? { field, op: '=', value: pick(rng, spec.values[field]) } : inCondition(rng, field, spec.values[field], spec.schema[field] === 'string'));
      continue;
    }
    const field = pick(rng, queryable);
    const op = pick(rng, spec.schema[field] === 'string' ? STRING_OPS : OTHER_OPS);
    const value = pick(rng, spec.values[field]);
    if (op === 'in' || op === 'not in') conditions.push({ ...inCondition(rng, field, spec.values[field], spec.schema[field] === 'string'), op });
    else if (op === 'like' || op === 'not like') conditions.push({ field, op, value: rng() < 0.5 ? `${value.slice(0, 2)}%` : `%${value.slice(-1)}` });
    else if (op === 'is null' || op === 'is not null') conditions.push({ field, op });
    else conditions.push({ field, op, value });
  }
  const fields = Object.keys(spec.schema);
  const request: QueryRequest = {
    conditions,
    limit: pick(rng, [0, 1, 2, 3, 5, 1000]),
    start: pick(rng, [0, 0, 0, 1, 2, 4]),
    count: rng() < 0.1,
    replyWithCount: rng() < 0.3,
  };
  if (rng() < 0.5) request.sort = { field: pick(rng, fields), direction: rng() < 0.5 ? 'asc' : 'desc' };
  if (rng() < 0.25) request.fields = fields.filter(() => rng() < 0.5).concat(pick(rng, fields));
  return request;
}

/** `in` with 0-3 values, sometimes (strings) one that matches nothing, as a list or comma-separated. */
function inCondition(rng: Rng, field: string, values: readonly string[], isString: boolean): Condition {
  const list: string[] = [];
  const n = Math.floor(rng() * 4);
  for (let i = 0; i < n; i++) list.push(isString && rng() < 0.15 ? 'no-such-value' : pick(rng, values));
  if (list.length > 0 && !list.some((v) => v.includes(',') || v !== v.trim()) && rng() < 0.3) {
    return { field, op: 'in', value: list.join(',') };
  }
  return { field, op: 'in', values: list };
}

/** A request the indexed path and the scan answer differently, with both answers. */
export interface Difference {
  request: QueryRequest;
  indexed: QueryResult | string;
  scanned: QueryResult | string;
}

/**
 * Runs `count` random requests over `source` and over its scan (`scanOnly`), without a time limit;
 * returns the first one they answer differently, or undefined. The same answer is the same value
 * (an error: the same message) and, without a projection, the very same row objects.
 */
export function firstDifference<T extends object>(rng: Rng, source: QuerySource<T>, spec: RandomQuerySpec, count: number): Difference | undefined {
  const run = (s: QuerySource<T>, request: QueryRequest): QueryResult | string => {
    try {
      return runQuery(s, request, spec.schema, { timeLimitMs: Infinity });
    } catch (e) {
      return `error: ${(e as Error).message}`;
    }
  };
  const scan = scanOnly(source);
  for (let i = 0; i < count; i++) {
    const request = randomRequest(rng, spec);
    const indexed = run(source, request);
    const scanned = run(scan, request);
    const same = isDeepStrictEqual(indexed, scanned) && (typeof indexed === 'string' || request.fields !== undefined
      || (indexed.inventories ?? []).every((row, j) => row === (scanned as QueryResult).inventories![j]));
    if (!same) return { request, indexed, scanned };
  }
  return undefined;
}
