import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { GetResourceAsOfMsg, invalidArgument, requireSession } from '@cp/contracts';
import type { HandlerOutcome } from '@cp/bus';
import { parseAsOf, uuidOf } from '../audit-input';
import { AuditLog } from '../audit-log';

/** `GET /api/v1/audit/resources/{uuid}?asOf=`: the inventory as it stood at a log position or a time. */
@QueryHandler(GetResourceAsOfMsg)
export class GetResourceAsOfHandler implements IQueryHandler<GetResourceAsOfMsg, HandlerOutcome> {
  constructor(private readonly log: AuditLog) {}

  async execute(msg: GetResourceAsOfMsg): Promise<HandlerOutcome> {
    const payload = msg.call.bus.payload;
    const { asOf: given, uuid: _uuid, ...rest } = payload;
    if (Object.keys(rest).length > 0) throw invalidArgument(`unknown query parameter[${Object.keys(rest)[0].slice(0, 100)}]; known: asOf`);
    const at = parseAsOf(given);
    if (!at) throw invalidArgument('query parameter[asOf] is mandatory: an ISO-8601 time or a log position');
    const caller = requireSession(msg.call.auth);
    return { result: await this.log.asOf(uuidOf(payload), at, caller) };
  }
}
