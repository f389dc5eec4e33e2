import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { APIChangePreconfigurationTemplateStateMsg, type PreconfigurationTemplateStateEvent } from '@cp/contracts';
import type { HandlerOutcome } from '@cp/bus';
import { decideChangeState } from '@cp/domain/baremetal';
import { TemplateCommands } from '../template-commands';

@CommandHandler(APIChangePreconfigurationTemplateStateMsg)
export class ChangePreconfigurationTemplateStateHandler implements ICommandHandler<APIChangePreconfigurationTemplateStateMsg, HandlerOutcome> {
  constructor(private readonly commands: TemplateCommands) {}

  async execute(msg: APIChangePreconfigurationTemplateStateMsg): Promise<HandlerOutcome> {
    const stateEvent = msg.stateEvent as PreconfigurationTemplateStateEvent;
    const done = await this.commands.run(msg, msg.uuid, (state) =>
      decideChangeState(msg.uuid, stateEvent, state, msg.call.auth, new Date().toISOString()));
    return { result: { inventory: done.state?.inventory }, position: done.position };
  }
}
