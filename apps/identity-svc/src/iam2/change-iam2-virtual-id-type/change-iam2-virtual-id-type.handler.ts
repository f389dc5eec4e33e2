import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { APIChangeIAM2VirtualIDTypeMsg } from '@cp/contracts';
import type { HandlerOutcome } from '@cp/bus';
import { decideVirtualID } from '@cp/domain/identity';
import { IAM2VirtualIDCommands } from '../virtual-id-commands';

@CommandHandler(APIChangeIAM2VirtualIDTypeMsg)
export class ChangeIAM2VirtualIDTypeHandler implements ICommandHandler<APIChangeIAM2VirtualIDTypeMsg, HandlerOutcome> {
  constructor(private readonly commands: IAM2VirtualIDCommands) {}

  async execute(msg: APIChangeIAM2VirtualIDTypeMsg): Promise<HandlerOutcome> {
    const done = await this.commands.run(msg, msg.uuid, (state) => decideVirtualID({
      type: 'ChangeIAM2VirtualIDType', data: { uuid: msg.uuid, type: msg.type }, auth: msg.call.auth, now: new Date().toISOString(),
    }, state));
    return { result: { inventory: done.state?.inventory }, position: done.position };
  }
}
