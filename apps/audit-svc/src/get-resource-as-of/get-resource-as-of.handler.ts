import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { GetResourceAsOfMsg, requireSession } from '@cp/contracts';
import type { HandlerOutcome } from '@cp/bus';
import { asOfOf } from '../audit-input';
import { AuditLog } from '../audit-log';

/** `GET /api/v1/audit/resources/{uuid}?asOf=`: the inventory as it stood at a log position or a time. */
@QueryHandler(GetResourceAsOfMsg)
export class GetResourceAsOfHandler implements IQueryHandler<GetResourceAsOfMsg, HandlerOutcome> {
  constructor(private readonly log: AuditLog) {}

  async execute(msg: GetResourceAsOfMsg): Promise<HandlerOutcome> {
    const caller = requireSession(msg.call.auth);
    return { result: await this.log.asOf(msg.uuid, asOfOf(msg), caller) };
  }
}
