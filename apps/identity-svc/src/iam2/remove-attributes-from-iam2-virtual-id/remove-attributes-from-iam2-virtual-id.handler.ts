import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { APIRemoveAttributesFromIAM2VirtualIDMsg } from '@cp/contracts';
import type { HandlerOutcome } from '@cp/bus';
import { decideVirtualID } from '@cp/domain/identity';
import { IAM2VirtualIDCommands } from '../virtual-id-commands';

@CommandHandler(APIRemoveAttributesFromIAM2VirtualIDMsg)
export class RemoveAttributesFromIAM2VirtualIDHandler implements ICommandHandler<APIRemoveAttributesFromIAM2VirtualIDMsg, HandlerOutcome> {
  constructor(private readonly commands: IAM2VirtualIDCommands) {}

  async execute(msg: APIRemoveAttributesFromIAM2VirtualIDMsg): Promise<HandlerOutcome> {
    const attributeUuids = msg.attributeUuids.map(String);
    const done = await this.commands.run(msg, msg.uuid, (state) => decideVirtualID({
      type: 'RemoveAttributesFromIAM2VirtualID', data: { uuid: msg.uuid, attributeUuids }, auth: msg.call.auth, now: new Date().toISOString(),
    }, state));
    return { result: {}, position: done.position };
  }
}
