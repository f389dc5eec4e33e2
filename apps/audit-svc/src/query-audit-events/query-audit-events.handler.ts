import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { QueryAuditEventsMsg, requireSession } from '@cp/contracts';
import type { HandlerOutcome } from '@cp/bus';
import { parseEventFilter } from '../audit-input';
import { AuditLog } from '../audit-log';

/** `GET /api/v1/audit/events`: a page of the log by position, filtered, of what the caller may see. */
@QueryHandler(QueryAuditEventsMsg)
export class QueryAuditEventsHandler implements IQueryHandler<QueryAuditEventsMsg, HandlerOutcome> {
  constructor(private readonly log: AuditLog) {}

  async execute(msg: QueryAuditEventsMsg): Promise<HandlerOutcome> {
    // The filters are checked on the payload as sent (an unknown one is refused), before the session.
    const filter = parseEventFilter(msg.call.bus.payload);
    const caller = requireSession(msg.call.auth);
    return { result: await this.log.page(filter, caller) };
  }
}
