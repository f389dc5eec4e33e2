import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { APIChangeIAM2VirtualIDTypeMsg } from '@cp/contracts';
import type { HandlerOutcome } from '@cp/bus';
import { decideChangeVirtualIDType } from '@cp/domain/identity';
import { IAM2VirtualIDCommands } from '../virtual-id-commands';

@CommandHandler(APIChangeIAM2VirtualIDTypeMsg)
export class ChangeIAM2VirtualIDTypeHandler implements ICommandHandler<APIChangeIAM2VirtualIDTypeMsg, HandlerOutcome> {
  constructor(private readonly commands: IAM2VirtualIDCommands) {}

  async execute(msg: APIChangeIAM2VirtualIDTypeMsg): Promise<HandlerOutcome> {
    const done = await this.commands.run(msg, msg.uuid, (state) =>
      decideChangeVirtualIDType({ uuid: msg.uuid, type: msg.type }, state, msg.call.auth, new Date().toISOString()));
    return { result: { inventory: done.state?.inventory }, position: done.position };
  }
}
