import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { APIQueryAccountMsg, AccountInventoryDescriptor } from '@cp/contracts';
import { answerQuery, type HandlerOutcome } from '@cp/bus';
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
    return answerQuery(msg, (caller) => this.accounts.visibleTo(caller.accountUuid, isAdmin(caller)), AccountInventoryDescriptor, this.config.queryTimeLimitMs);
  }
}
