/**
 * @cp/query: the one ZStack query engine. The gateway parses a query string into a plain-data
 * QueryRequest (parseQueryString / queryByUuid); a service runs it over its read model (runQuery),
 * within a time budget (QueryOptions.timeLimitMs).
 */
export type {
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
