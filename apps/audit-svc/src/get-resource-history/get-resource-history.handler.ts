import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { GetResourceHistoryMsg, requireSession } from '@cp/contracts';
import type { HandlerOutcome } from '@cp/bus';
import { AuditLog } from '../audit-log';

/** `GET /api/v1/audit/resources/{uuid}/history`: every event of a resource with the inventory after each. */
@QueryHandler(GetResourceHistoryMsg)
export class GetResourceHistoryHandler implements IQueryHandler<GetResourceHistoryMsg, HandlerOutcome> {
  constructor(private readonly log: AuditLog) {}

  async execute(msg: GetResourceHistoryMsg): Promise<HandlerOutcome> {
    const caller = requireSession(msg.call.auth);
    return { result: await this.log.history(msg.uuid, caller) };
  }
}
