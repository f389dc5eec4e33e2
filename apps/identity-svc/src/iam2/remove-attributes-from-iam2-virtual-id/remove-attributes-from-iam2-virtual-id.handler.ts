import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { APIRemoveAttributesFromIAM2VirtualIDMsg } from '@cp/contracts';
import type { HandlerOutcome } from '@cp/bus';
import { decideRemoveAttributes } from '@cp/domain/identity';
import { IAM2VirtualIDCommands } from '../virtual-id-commands';

@CommandHandler(APIRemoveAttributesFromIAM2VirtualIDMsg)
export class RemoveAttributesFromIAM2VirtualIDHandler implements ICommandHandler<APIRemoveAttributesFromIAM2VirtualIDMsg, HandlerOutcome> {
  constructor(private readonly commands: IAM2VirtualIDCommands) {}

  async execute(msg: APIRemoveAttributesFromIAM2VirtualIDMsg): Promise<HandlerOutcome> {
    const attributeUuids = msg.attributeUuids.map(String);
    const done = await this.commands.run(msg, msg.uuid, (state) =>
      decideRemoveAttributes({ uuid: msg.uuid, attributeUuids }, state, msg.call.auth, new Date().toISOString()));
    return { result: {}, position: done.position };
  }
}
