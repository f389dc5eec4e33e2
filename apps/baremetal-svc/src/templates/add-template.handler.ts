import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { APIAddPreconfigurationTemplateMsg, apiByName, subjectOf, validatePayload, type PreconfigurationTemplateType } from '@cp/contracts';
import { RemoteAuthenticator, uuidFromCommand, type BusMessage, type HandlerOutcome } from '@cp/bus';
import { decideAdd, md5 } from '@cp/domain/baremetal';
import { TemplateCommands } from './template-commands';

@Controller()
export class AddTemplateHandler {
  constructor(private readonly commands: TemplateCommands, private readonly auth: RemoteAuthenticator) {}

  @MessagePattern(subjectOf(apiByName('AddPreconfigurationTemplate')))
  async handle(msg: BusMessage): Promise<HandlerOutcome> {
    const dto = validatePayload(APIAddPreconfigurationTemplateMsg, msg.payload);
    const auth = await this.auth.authenticate(msg.auth);
    const cmd = {
      uuid: dto.resourceUuid ?? uuidFromCommand(msg.commandId, 'preconfigtemplate'),
      name: dto.name, description: dto.description, distribution: dto.distribution,
      type: dto.type as PreconfigurationTemplateType, content: dto.content,
    };
    const done = await this.commands.run(msg, cmd.uuid, auth.ok ? auth.caller.accountUuid : null, (state) =>
      decideAdd(cmd, state, auth, { now: new Date().toISOString(), md5 }));
    return { result: { inventory: done.state?.inventory }, position: done.position, sessionUuid: msg.auth.sessionUuid };
  }
}
