import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { APIQueryIAM2VirtualIDAttributeMsg, IAM2VirtualIDAttributeInventoryDescriptor, requireSession } from '@cp/contracts';
import type { HandlerOutcome } from '@cp/bus';
import { requestFromPayload, runQuery } from '@cp/query';
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
    // A malformed query is refused before an invalid session (ZStack's order).
    const request = requestFromPayload(msg.query);
    const caller = requireSession(msg.call.auth);
    const source = this.virtualIds.attributesVisibleTo(caller, isAdmin(caller));
    return { result: runQuery(source, request, IAM2VirtualIDAttributeInventoryDescriptor.fields, { timeLimitMs: this.config.queryTimeLimitMs }) };
  }
}
