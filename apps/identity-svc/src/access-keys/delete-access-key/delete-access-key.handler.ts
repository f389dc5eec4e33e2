import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { APIDeleteAccessKeyMsg } from '@cp/contracts';
import type { HandlerOutcome } from '@cp/bus';
import { decideDeleteAccessKey } from '@cp/domain/identity';
import { AccountReadModel, AccessKeyReadModel } from '@cp/read-models/identity';
import { AccessKeyCommands } from '../access-key-commands';

@CommandHandler(APIDeleteAccessKeyMsg)
export class DeleteAccessKeyHandler implements ICommandHandler<APIDeleteAccessKeyMsg, HandlerOutcome> {
  constructor(
    private readonly commands: AccessKeyCommands,
    private readonly keys: AccessKeyReadModel,
    private readonly accounts: AccountReadModel,
  ) {}

  async execute(msg: APIDeleteAccessKeyMsg): Promise<HandlerOutcome> {
    const done = await this.commands.run(msg, msg.uuid, (state) =>
      decideDeleteAccessKey(msg.uuid, state, msg.call.auth, {
        accountExists: (uuid) => this.accounts.get(uuid) !== undefined,
        keyCount: this.keys.keyCount,
        accessKeyIdTakenBy: this.keys.accessKeyIdTakenBy,
        now: new Date().toISOString(),
      }));
    return { result: {}, position: done.position };
  }
}
