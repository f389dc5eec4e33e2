import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { APIQueryIAM2VirtualIDAttributeMsg, IAM2VirtualIDAttributeInventoryDescriptor } from '@cp/contracts';
import { answerQuery, type HandlerOutcome } from '@cp/bus';
import { isAdmin } from '@cp/domain/identity';
import { IAM2VirtualIDReadModel } from '@cp/read-models/identity';
import { IDENTITY_CONFIG, type IdentityConfig } from '../../config';

/** The attributes of the virtual IDs the caller may see (QueryIAM2VirtualID's rule). */
@QueryHandler(APIQueryIAM2VirtualIDAttributeMsg)
export class QueryIAM2VirtualIDAttributeHandler implements IQueryHandler<APIQueryIAM2VirtualIDAttributeMsg, HandlerOutcome> {
  constructor(
    private readonly virtualIds: IAM2VirtualIDReadModel,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
  ) {}

  async execute(msg: APIQueryIAM2VirtualIDAttributeMsg): Promise<HandlerOutcome> {
    return answerQuery(msg, (caller) => this.virtualIds.attributesVisibleTo(caller, isAdmin(caller)), IAM2VirtualIDAttributeInventoryDescriptor, this.config.queryTimeLimitMs);
  }
}
