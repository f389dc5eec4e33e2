import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { APILogInByAccountMsg, apiByName, subjectOf, validatePayload } from '@cp/contracts';
import type { BusMessage, HandlerOutcome } from '@cp/bus';
import { AccountLogin } from '../account-login';

@Controller()
export class LogInByAccountHandler {
  constructor(private readonly login: AccountLogin) {}

  @MessagePattern(subjectOf(apiByName('LogInByAccount')))
  async handle(msg: BusMessage): Promise<HandlerOutcome> {
    const dto = validatePayload(APILogInByAccountMsg, msg.payload);
    return { result: { inventory: await this.login.logIn(msg, dto.accountName, dto.password, dto.accountType) } };
  }
}
