import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { APIAddAttributesToIAM2VirtualIDMsg, attributeInfosOf } from '@cp/contracts';
import { uuidFromCommand, type HandlerOutcome } from '@cp/bus';
import { decideVirtualID } from '@cp/domain/identity';
import { IAM2VirtualIDCommands } from '../virtual-id-commands';

/** Adds `Customized` attributes; their uuids derive from the command id, so a retried command adds nothing twice. */
@CommandHandler(APIAddAttributesToIAM2VirtualIDMsg)
export class AddAttributesToIAM2VirtualIDHandler implements ICommandHandler<APIAddAttributesToIAM2VirtualIDMsg, HandlerOutcome> {
  constructor(private readonly commands: IAM2VirtualIDCommands) {}

  async execute(msg: APIAddAttributesToIAM2VirtualIDMsg): Promise<HandlerOutcome> {
    const attributes = attributeInfosOf(msg.attributes, APIAddAttributesToIAM2VirtualIDMsg.name)
      .map((a, i) => ({ ...a, uuid: uuidFromCommand(msg.call.bus.commandId, `iam2vid-attribute:${i}`) }));
    const done = await this.commands.run(msg, msg.uuid, (state) => decideVirtualID({
      type: 'AddAttributesToIAM2VirtualID', data: { uuid: msg.uuid, attributes }, auth: msg.call.auth, now: new Date().toISOString(),
    }, state));
    return { result: {}, position: done.position };
  }
}
