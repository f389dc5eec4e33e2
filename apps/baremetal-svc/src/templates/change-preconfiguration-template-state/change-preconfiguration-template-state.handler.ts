import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { APIChangePreconfigurationTemplateStateMsg, type PreconfigurationTemplateStateEvent } from '@cp/contracts';
import type { HandlerOutcome } from '@cp/bus';
import { decide } from '@cp/domain/baremetal';
import { TemplateCommands } from '../template-commands';

@CommandHandler(APIChangePreconfigurationTemplateStateMsg)
export class ChangePreconfigurationTemplateStateHandler implements ICommandHandler<APIChangePreconfigurationTemplateStateMsg, HandlerOutcome> {
  constructor(private readonly commands: TemplateCommands) {}

  async execute(msg: APIChangePreconfigurationTemplateStateMsg): Promise<HandlerOutcome> {
    const data = { uuid: msg.uuid, stateEvent: msg.stateEvent as PreconfigurationTemplateStateEvent };
    const done = await this.commands.run(msg, data.uuid, (state) =>
      decide({ type: 'ChangePreconfigurationTemplateState', data, auth: msg.call.auth, now: new Date().toISOString() }, state));
    return { result: { inventory: done.state?.inventory }, position: done.position };
  }
}
