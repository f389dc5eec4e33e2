import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { APIAddPreconfigurationTemplateMsg, type PreconfigurationTemplateType } from '@cp/contracts';
import { uuidFromCommand, type HandlerOutcome } from '@cp/bus';
import { decide, type AddTemplate } from '@cp/domain/baremetal';
import { TemplateCommands } from '../template-commands';

@CommandHandler(APIAddPreconfigurationTemplateMsg)
export class AddPreconfigurationTemplateHandler implements ICommandHandler<APIAddPreconfigurationTemplateMsg, HandlerOutcome> {
  constructor(private readonly commands: TemplateCommands) {}

  async execute(msg: APIAddPreconfigurationTemplateMsg): Promise<HandlerOutcome> {
    const data: AddTemplate = {
      uuid: msg.resourceUuid ?? uuidFromCommand(msg.call.bus.commandId, 'preconfigtemplate'),
      name: msg.name, description: msg.description, distribution: msg.distribution,
      type: msg.type as PreconfigurationTemplateType, content: msg.content,
    };
    const done = await this.commands.run(msg, data.uuid, (state) =>
      decide({ type: 'AddPreconfigurationTemplate', data, auth: msg.call.auth, now: new Date().toISOString() }, state));
    return { result: { inventory: done.state?.inventory }, position: done.position };
  }
}
