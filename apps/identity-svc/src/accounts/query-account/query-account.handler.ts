import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { APIQueryAccountMsg, AccountInventoryDescriptor, requireSession } from '@cp/contracts';
import type { HandlerOutcome } from '@cp/bus';
import { requestFromPayload, runQuery } from '@cp/query';
import { isAdmin } from '@cp/domain/identity';
import { AccountReadModel } from '@cp/read-models/identity';
import { IDENTITY_CONFIG, type IdentityConfig } from '../../config';

@QueryHandler(APIQueryAccountMsg)
export class QueryAccountHandler implements IQueryHandler<APIQueryAccountMsg, HandlerOutcome> {
  constructor(
    private readonly accounts: AccountReadModel,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
  ) {}

  async execute(msg: APIQueryAccountMsg): Promise<HandlerOutcome> {
    // A malformed query is refused before an invalid session (ZStack's order).
    const request = requestFromPayload(msg.query);
    const caller = requireSession(msg.call.auth);
    const source = this.accounts.visibleTo(caller.accountUuid, isAdmin(caller));
    return { result: runQuery(source, request, AccountInventoryDescriptor.fields, { timeLimitMs: this.config.queryTimeLimitMs }) };
  }
}
