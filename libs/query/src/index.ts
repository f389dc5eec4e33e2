/**
 * @cp/query: the one ZStack query engine. The gateway parses a query string into a plain-data
 * QueryRequest (parseQueryString / queryByUuid); a service runs it over its read model (runQuery),
 * within a time budget (QueryOptions.timeLimitMs). A read model keeps equality indexes on its rows
 * (RowIndexes) and offers them to the engine (QuerySource.lookup): `=` / `in` on an indexed field reads
 * the matching rows only. cross-check.ts holds the testing aids that compare the indexed path to the scan.
 */
export type {
  Candidates,
  Condition,
  FieldSchema,
  FieldType,
  Op,
  QueryOptions,
  QueryRequest,
  QueryResult,
  QuerySort,
  QuerySource,
} from './types';
export { DEFAULT_LIMIT, DEFAULT_QUERY_TIME_LIMIT_MS, OPS } from './types';
export { QUERY_OPERATORS, parseCondition, parseQueryString, queryByUuid } from './parse';
export { requestFromPayload } from './payload';
export { runQuery } from './engine';
export { EqualityIndex, RowIndexes, type FoundIds, type IndexedValue, type IndexedValues, type Sequenced } from './row-index';
export { firstDifference, pick, randomRequest, scanOnly, seededRandom, type Difference, type RandomQuerySpec, type Rng } from './cross-check';
