import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { APIUpdatePreconfigurationTemplateMsg, type PreconfigurationTemplateType } from '@cp/contracts';
import type { HandlerOutcome } from '@cp/bus';
import { decide, type UpdateTemplate } from '@cp/domain/baremetal';
import { TemplateCommands } from '../template-commands';

@CommandHandler(APIUpdatePreconfigurationTemplateMsg)
export class UpdatePreconfigurationTemplateHandler implements ICommandHandler<APIUpdatePreconfigurationTemplateMsg, HandlerOutcome> {
  constructor(private readonly commands: TemplateCommands) {}

  async execute(msg: APIUpdatePreconfigurationTemplateMsg): Promise<HandlerOutcome> {
    const data: UpdateTemplate = {
      uuid: msg.uuid, name: msg.name, description: msg.description, distribution: msg.distribution,
      type: msg.type as PreconfigurationTemplateType | undefined, content: msg.content,
    };
    const done = await this.commands.run(msg, data.uuid, (state) =>
      decide({ type: 'UpdatePreconfigurationTemplate', data, auth: msg.call.auth, now: new Date().toISOString() }, state));
    return { result: { inventory: done.state?.inventory }, position: done.position };
  }
}
