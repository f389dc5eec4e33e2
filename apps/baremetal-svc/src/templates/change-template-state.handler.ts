import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import {
  APIChangePreconfigurationTemplateStateMsg, apiByName, subjectOf, validatePayload, type PreconfigurationTemplateStateEvent,
} from '@cp/contracts';
import { RemoteAuthenticator, type BusMessage, type HandlerOutcome } from '@cp/bus';
import { decideChangeState } from '@cp/domain/baremetal';
import { TemplateCommands } from './template-commands';

@Controller()
export class ChangeTemplateStateHandler {
  constructor(private readonly commands: TemplateCommands, private readonly auth: RemoteAuthenticator) {}

  @MessagePattern(subjectOf(apiByName('ChangePreconfigurationTemplateState')))
  async handle(msg: BusMessage): Promise<HandlerOutcome> {
    const dto = validatePayload(APIChangePreconfigurationTemplateStateMsg, msg.payload);
    const auth = await this.auth.authenticate(msg.auth);
    const stateEvent = dto.stateEvent as PreconfigurationTemplateStateEvent;
    const done = await this.commands.run(msg, dto.uuid, auth.ok ? auth.caller.accountUuid : null, (state) =>
      decideChangeState(dto.uuid, stateEvent, state, auth, new Date().toISOString()));
    return { result: { inventory: done.state?.inventory }, position: done.position, sessionUuid: msg.auth.sessionUuid };
  }
}
