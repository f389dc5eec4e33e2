import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { QueryAuditEventsMsg, requireSession } from '@cp/contracts';
import type { HandlerOutcome } from '@cp/bus';
import { eventFilterOf } from '../audit-input';
import { AuditLog } from '../audit-log';

/** `GET /api/v1/audit/events`: a page of the log by position, filtered, of what the caller may see. */
@QueryHandler(QueryAuditEventsMsg)
export class QueryAuditEventsHandler implements IQueryHandler<QueryAuditEventsMsg, HandlerOutcome> {
  constructor(private readonly log: AuditLog) {}

  async execute(msg: QueryAuditEventsMsg): Promise<HandlerOutcome> {
    const caller = requireSession(msg.call.auth);
    return { result: await this.log.page(eventFilterOf(msg), caller) };
  }
}
