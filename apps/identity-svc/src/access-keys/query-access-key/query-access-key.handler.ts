import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { APIQueryAccessKeyMsg, AccessKeyInventoryDescriptor, requireSession } from '@cp/contracts';
import type { HandlerOutcome } from '@cp/bus';
import { requestFromPayload, runQuery } from '@cp/query';
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
    // A malformed query is refused before an invalid session (ZStack's order).
    const request = requestFromPayload(msg.query);
    const caller = requireSession(msg.call.auth);
    return { result: runQuery(this.keys.visibleTo(caller), request, AccessKeyInventoryDescriptor.fields, { timeLimitMs: this.config.queryTimeLimitMs }) };
  }
}
