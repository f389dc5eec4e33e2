import { Controller, Inject } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import {
  APIQueryIAM2VirtualIDAttributeMsg, IAM2VirtualIDAttributeInventoryDescriptor, apiByName, subjectOf, validatePayload,
} from '@cp/contracts';
import type { BusMessage, HandlerOutcome } from '@cp/bus';
import { Projection } from '@cp/event-store';
import { requestFromPayload, runQuery } from '@cp/query';
import { isAdmin } from '@cp/domain/identity';
import { IDENTITY_CONFIG, type IdentityConfig } from '../../config';
import { Authenticator } from '../../sessions/authenticator';
import { IAM2_VIRTUAL_ID_PROJECTION } from '../../tokens';
import { IAM2VirtualIDReadModel } from '@cp/read-models/identity';

/** The attributes of the virtual IDs the caller may see (QueryIAM2VirtualID's rule). */
@Controller()
export class QueryIAM2VirtualIDAttributeHandler {
  constructor(
    private readonly virtualIds: IAM2VirtualIDReadModel,
    private readonly auth: Authenticator,
    @Inject(IAM2_VIRTUAL_ID_PROJECTION) private readonly projection: Projection,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
  ) {}

  @MessagePattern(subjectOf(apiByName('QueryIAM2VirtualIDAttribute')))
  async handle(msg: BusMessage): Promise<HandlerOutcome> {
    const dto = validatePayload(APIQueryIAM2VirtualIDAttributeMsg, msg.payload);
    const request = requestFromPayload(dto.query);
    const auth = await this.auth.authenticate(msg.auth);
    if (!auth.ok) throw auth.error;
    if (msg.minPosition !== null) await this.projection.waitFor(msg.minPosition, this.config.readYourWritesTimeoutMs);
    const source = this.virtualIds.attributesVisibleTo(auth.caller, isAdmin(auth.caller));
    return { result: runQuery(source, request, IAM2VirtualIDAttributeInventoryDescriptor.fields, { timeLimitMs: this.config.queryTimeLimitMs }) };
  }
}
