import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { APILogInByAccountMsg } from '@cp/contracts';
import type { HandlerOutcome } from '@cp/bus';
import { AccountLogin } from '../account-login';

@QueryHandler(APILogInByAccountMsg)
export class LogInByAccountHandler implements IQueryHandler<APILogInByAccountMsg, HandlerOutcome> {
  constructor(private readonly login: AccountLogin) {}

  async execute(msg: APILogInByAccountMsg): Promise<HandlerOutcome> {
    return { result: { inventory: await this.login.logIn(msg.call.bus, msg.accountName, msg.password, msg.accountType) } };
  }
}
