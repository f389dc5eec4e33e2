import { Controller, Inject } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { APIQueryAccountMsg, AccountInventoryDescriptor, apiByName, subjectOf, validatePayload } from '@cp/contracts';
import type { BusMessage, HandlerOutcome } from '@cp/bus';
import { Projection } from '@cp/event-store';
import { requestFromPayload, runQuery } from '@cp/query';
import { IDENTITY_CONFIG, type IdentityConfig } from '../../config';
import { Authenticator } from '../../sessions/authenticator';
import { ACCOUNT_PROJECTION } from '../../tokens';
import { isAdmin } from '@cp/domain/identity';
import { AccountReadModel } from '@cp/read-models/identity';

@Controller()
export class QueryAccountHandler {
  constructor(
    private readonly accounts: AccountReadModel,
    private readonly auth: Authenticator,
    @Inject(ACCOUNT_PROJECTION) private readonly projection: Projection,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
  ) {}

  @MessagePattern(subjectOf(apiByName('QueryAccount')))
  async handle(msg: BusMessage): Promise<HandlerOutcome> {
    const dto = validatePayload(APIQueryAccountMsg, msg.payload);
    const request = requestFromPayload(dto.query);
    const auth = await this.auth.authenticate(msg.auth);
    if (!auth.ok) throw auth.error;
    if (msg.minPosition !== null) await this.projection.waitFor(msg.minPosition, this.config.readYourWritesTimeoutMs);
    const source = this.accounts.visibleTo(auth.caller.accountUuid, isAdmin(auth.caller));
    return { result: runQuery(source, request, AccountInventoryDescriptor.fields, { timeLimitMs: this.config.queryTimeLimitMs }) };
  }
}
