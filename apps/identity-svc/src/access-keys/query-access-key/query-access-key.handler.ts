import { Controller, Inject } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { APIQueryAccessKeyMsg, AccessKeyInventoryDescriptor, apiByName, subjectOf, validatePayload } from '@cp/contracts';
import type { BusMessage, HandlerOutcome } from '@cp/bus';
import { Projection } from '@cp/event-store';
import { requestFromPayload, runQuery } from '@cp/query';
import { IDENTITY_CONFIG, type IdentityConfig } from '../../config';
import { Authenticator } from '../../sessions/authenticator';
import { ACCESS_KEY_PROJECTION } from '../../tokens';
import { AccessKeyReadModel } from '@cp/read-models/identity';

/** Inventories never carry `AccessKeySecret`, and the query schema does not know the field. */
@Controller()
export class QueryAccessKeyHandler {
  constructor(
    private readonly keys: AccessKeyReadModel,
    private readonly auth: Authenticator,
    @Inject(ACCESS_KEY_PROJECTION) private readonly projection: Projection,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
  ) {}

  @MessagePattern(subjectOf(apiByName('QueryAccessKey')))
  async handle(msg: BusMessage): Promise<HandlerOutcome> {
    const dto = validatePayload(APIQueryAccessKeyMsg, msg.payload);
    const request = requestFromPayload(dto.query);
    const auth = await this.auth.authenticate(msg.auth);
    if (!auth.ok) throw auth.error;
    if (msg.minPosition !== null) await this.projection.waitFor(msg.minPosition, this.config.readYourWritesTimeoutMs);
    return { result: runQuery(this.keys.visibleTo(auth.caller), request, AccessKeyInventoryDescriptor.fields, { timeLimitMs: this.config.queryTimeLimitMs }) };
  }
}
