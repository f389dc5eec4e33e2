import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { APILogInMsg, apiByName, subjectOf, validatePayload } from '@cp/contracts';
import type { BusMessage, HandlerOutcome } from '@cp/bus';
import { AccountLogin } from '../account-login';

/** ZStack's generic login (`PUT /v1/login`); `account` is the login type served so far. */
@Controller()
export class LogInHandler {
  constructor(private readonly login: AccountLogin) {}

  @MessagePattern(subjectOf(apiByName('LogIn')))
  async handle(msg: BusMessage): Promise<HandlerOutcome> {
    const dto = validatePayload(APILogInMsg, msg.payload);
    return { result: { inventory: await this.login.logIn(msg, dto.username, dto.password) } };
  }
}
