import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { APILogInMsg } from '@cp/contracts';
import type { HandlerOutcome } from '@cp/bus';
import { AccountLogin } from '../account-login';

/** ZStack's generic login (`PUT /v1/login`); `account` is the login type served so far. */
@QueryHandler(APILogInMsg)
export class LogInHandler implements IQueryHandler<APILogInMsg, HandlerOutcome> {
  constructor(private readonly login: AccountLogin) {}

  async execute(msg: APILogInMsg): Promise<HandlerOutcome> {
    return { result: { inventory: await this.login.logIn(msg.call.bus, msg.username, msg.password) } };
  }
}
