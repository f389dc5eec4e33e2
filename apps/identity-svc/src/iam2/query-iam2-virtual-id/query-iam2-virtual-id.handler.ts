import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { APIQueryIAM2VirtualIDMsg, IAM2VirtualIDInventoryDescriptor } from '@cp/contracts';
import { answerQuery, type HandlerOutcome } from '@cp/bus';
import { isAdmin } from '@cp/domain/identity';
import { IAM2VirtualIDReadModel } from '@cp/read-models/identity';
import { IDENTITY_CONFIG, type IdentityConfig } from '../../config';

/** The admin sees every virtual ID, a virtual ID's session only itself, an account the virtual IDs it owns. */
@QueryHandler(APIQueryIAM2VirtualIDMsg)
export class QueryIAM2VirtualIDHandler implements IQueryHandler<APIQueryIAM2VirtualIDMsg, HandlerOutcome> {
  constructor(
    private readonly virtualIds: IAM2VirtualIDReadModel,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
  ) {}

  async execute(msg: APIQueryIAM2VirtualIDMsg): Promise<HandlerOutcome> {
    return answerQuery(msg, (caller) => this.virtualIds.visibleTo(caller, isAdmin(caller)), IAM2VirtualIDInventoryDescriptor, this.config.queryTimeLimitMs);
  }
}
