import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { APIDeleteAccessKeyMsg } from '@cp/contracts';
import type { HandlerOutcome } from '@cp/bus';
import { decideAccessKey } from '@cp/domain/identity';
import { AccountReadModel } from '@cp/read-models/identity';
import { AccessKeyCommands } from '../access-key-commands';

@CommandHandler(APIDeleteAccessKeyMsg)
export class DeleteAccessKeyHandler implements ICommandHandler<APIDeleteAccessKeyMsg, HandlerOutcome> {
  constructor(
    private readonly commands: AccessKeyCommands,
    private readonly accounts: AccountReadModel,
  ) {}

  async execute(msg: APIDeleteAccessKeyMsg): Promise<HandlerOutcome> {
    const done = await this.commands.run(msg, msg.uuid, (state) => decideAccessKey({
      type: 'DeleteAccessKey', data: { uuid: msg.uuid }, auth: msg.call.auth, now: new Date().toISOString(),
      // The account of the key decided on (a key whose account is gone counts as deleted).
      accountExists: state !== null && this.accounts.get(state.inventory.accountUuid) !== undefined,
    }, state));
    return { result: {}, position: done.position };
  }
}
