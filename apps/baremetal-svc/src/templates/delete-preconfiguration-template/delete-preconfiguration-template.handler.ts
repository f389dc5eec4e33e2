import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { APIDeletePreconfigurationTemplateMsg } from '@cp/contracts';
import type { HandlerOutcome } from '@cp/bus';
import { decide } from '@cp/domain/baremetal';
import { TemplateCommands } from '../template-commands';

@CommandHandler(APIDeletePreconfigurationTemplateMsg)
export class DeletePreconfigurationTemplateHandler implements ICommandHandler<APIDeletePreconfigurationTemplateMsg, HandlerOutcome> {
  constructor(private readonly commands: TemplateCommands) {}

  async execute(msg: APIDeletePreconfigurationTemplateMsg): Promise<HandlerOutcome> {
    const done = await this.commands.run(msg, msg.uuid, (state) =>
      decide({ type: 'DeletePreconfigurationTemplate', data: { uuid: msg.uuid }, auth: msg.call.auth }, state));
    return { result: {}, position: done.position };
  }
}
