import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { APIDeletePreconfigurationTemplateMsg, apiByName, subjectOf, validatePayload } from '@cp/contracts';
import { RemoteAuthenticator, type BusMessage, type HandlerOutcome } from '@cp/bus';
import { decideDelete } from '@cp/domain/baremetal';
import { TemplateCommands } from './template-commands';

@Controller()
export class DeleteTemplateHandler {
  constructor(private readonly commands: TemplateCommands, private readonly auth: RemoteAuthenticator) {}

  @MessagePattern(subjectOf(apiByName('DeletePreconfigurationTemplate')))
  async handle(msg: BusMessage): Promise<HandlerOutcome> {
    const dto = validatePayload(APIDeletePreconfigurationTemplateMsg, msg.payload);
    const auth = await this.auth.authenticate(msg.auth);
    const done = await this.commands.run(msg, dto.uuid, auth.ok ? auth.caller.accountUuid : null, (state) =>
      decideDelete(dto.uuid, state, auth));
    return { result: {}, position: done.position, sessionUuid: msg.auth.sessionUuid };
  }
}
