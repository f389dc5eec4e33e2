import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { APIChangeAccessKeyStateMsg } from '@cp/contracts';
import type { HandlerOutcome } from '@cp/bus';
import { decideChangeAccessKeyState, toAccessKeyInventory as toInventory, type ChangeAccessKeyState } from '@cp/domain/identity';
import { AccountReadModel, AccessKeyReadModel } from '@cp/read-models/identity';
import { AccessKeyCommands } from '../access-key-commands';

/** enable / disable: a disabled key's signed requests are refused (ID.1001) until it is enabled again. */
@CommandHandler(APIChangeAccessKeyStateMsg)
export class ChangeAccessKeyStateHandler implements ICommandHandler<APIChangeAccessKeyStateMsg, HandlerOutcome> {
  constructor(
    private readonly commands: AccessKeyCommands,
    private readonly keys: AccessKeyReadModel,
    private readonly accounts: AccountReadModel,
  ) {}

  async execute(msg: APIChangeAccessKeyStateMsg): Promise<HandlerOutcome> {
    const cmd: ChangeAccessKeyState = { uuid: msg.uuid, stateEvent: msg.stateEvent as ChangeAccessKeyState['stateEvent'] };
    const done = await this.commands.run(msg, cmd.uuid, (state) =>
      decideChangeAccessKeyState(cmd, state, msg.call.auth, {
        accountExists: (uuid) => this.accounts.get(uuid) !== undefined,
        keyCount: this.keys.keyCount,
        accessKeyIdTakenBy: this.keys.accessKeyIdTakenBy,
        now: new Date().toISOString(),
      }));
    return { result: { inventory: toInventory(done.state!.inventory) }, position: done.position };
  }
}
