import { Controller, Inject } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { healthSubject } from '@cp/contracts';
import type { HandlerOutcome } from '@cp/bus';
import { positionToString, Projection } from '@cp/event-store';
import { AccountReadModel } from './accounts/account.read-model';
import { ACCOUNT_PROJECTION } from './tokens';

@Controller()
export class HealthHandler {
  constructor(
    @Inject(ACCOUNT_PROJECTION) private readonly projection: Projection,
    private readonly accounts: AccountReadModel,
  ) {}

  @MessagePattern(healthSubject('identity'))
  handle(): HandlerOutcome {
    return { result: { status: 'ok', position: positionToString(this.projection.position), accounts: this.accounts.size } };
  }
}
