import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { APIQueryAccessKeyMsg, AccessKeyInventoryDescriptor } from '@cp/contracts';
import { answerQuery, type HandlerOutcome } from '@cp/bus';
import { AccessKeyReadModel } from '@cp/read-models/identity';
import { IDENTITY_CONFIG, type IdentityConfig } from '../../config';

/** Inventories never carry `AccessKeySecret`, and the query schema does not know the field. */
@QueryHandler(APIQueryAccessKeyMsg)
export class QueryAccessKeyHandler implements IQueryHandler<APIQueryAccessKeyMsg, HandlerOutcome> {
  constructor(
    private readonly keys: AccessKeyReadModel,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
  ) {}

  async execute(msg: APIQueryAccessKeyMsg): Promise<HandlerOutcome> {
    return answerQuery(msg, (caller) => this.keys.visibleTo(caller), AccessKeyInventoryDescriptor, this.config.queryTimeLimitMs);
  }
}
