import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { APIChangeAccessKeyStateMsg } from '@cp/contracts';
import type { HandlerOutcome } from '@cp/bus';
import { decideAccessKey, toAccessKeyInventory as toInventory, type ChangeAccessKeyState } from '@cp/domain/identity';
import { AccountReadModel } from '@cp/read-models/identity';
import { AccessKeyCommands } from '../access-key-commands';

/** enable / disable: a disabled key's signed requests are refused (ID.1001) until it is enabled again. */
@CommandHandler(APIChangeAccessKeyStateMsg)
export class ChangeAccessKeyStateHandler implements ICommandHandler<APIChangeAccessKeyStateMsg, HandlerOutcome> {
  constructor(
    private readonly commands: AccessKeyCommands,
    private readonly accounts: AccountReadModel,
  ) {}

  async execute(msg: APIChangeAccessKeyStateMsg): Promise<HandlerOutcome> {
    const cmd: ChangeAccessKeyState = { uuid: msg.uuid, stateEvent: msg.stateEvent as ChangeAccessKeyState['stateEvent'] };
    const done = await this.commands.run(msg, cmd.uuid, (state) => decideAccessKey({
      type: 'ChangeAccessKeyState', data: cmd, auth: msg.call.auth, now: new Date().toISOString(),
      // The account of the key decided on (a key whose account is gone is not found).
      accountExists: state !== null && this.accounts.get(state.inventory.accountUuid) !== undefined,
    }, state));
    return { result: { inventory: toInventory(done.state!.inventory) }, position: done.position };
  }
}
