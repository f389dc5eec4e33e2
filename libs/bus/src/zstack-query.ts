import { requireSession, type ApiCallContext, type Caller, type InventoryDescriptor } from '@cp/contracts';
import { requestFromPayload, runQuery, type QuerySource } from '@cp/query';
import type { HandlerOutcome } from './bus-message';

/**
 * The answer of a ZStack Query API (APIQueryAccountMsg and its kind): the query is parsed first (a
 * malformed one is refused before an invalid session, ZStack's order), then run by the one query
 * engine over the rows the caller may see, within the service's time limit.
 */
export function answerQuery<T extends object>(
  msg: { query: Record<string, unknown>; call: ApiCallContext },
  visibleTo: (caller: Caller) => QuerySource<T>,
  inventory: InventoryDescriptor,
  timeLimitMs: number,
): HandlerOutcome {
  const request = requestFromPayload(msg.query);
  const caller = requireSession(msg.call.auth);
  return { result: runQuery(visibleTo(caller), request, inventory.fields, { timeLimitMs }) };
}
