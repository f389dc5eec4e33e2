import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { APIUpdatePreconfigurationTemplateMsg, apiByName, subjectOf, validatePayload, type PreconfigurationTemplateType } from '@cp/contracts';
import { RemoteAuthenticator, type BusMessage, type HandlerOutcome } from '@cp/bus';
import { decideUpdate, md5 } from '@cp/domain/baremetal';
import { TemplateCommands } from './template-commands';

@Controller()
export class UpdateTemplateHandler {
  constructor(private readonly commands: TemplateCommands, private readonly auth: RemoteAuthenticator) {}

  @MessagePattern(subjectOf(apiByName('UpdatePreconfigurationTemplate')))
  async handle(msg: BusMessage): Promise<HandlerOutcome> {
    const dto = validatePayload(APIUpdatePreconfigurationTemplateMsg, msg.payload);
    const auth = await this.auth.authenticate(msg.auth);
    const cmd = {
      uuid: dto.uuid, name: dto.name, description: dto.description, distribution: dto.distribution,
      type: dto.type as PreconfigurationTemplateType | undefined, content: dto.content,
    };
    const done = await this.commands.run(msg, cmd.uuid, auth.ok ? auth.caller.accountUuid : null, (state) =>
      decideUpdate(cmd, state, auth, { now: new Date().toISOString(), md5 }));
    return { result: { inventory: done.state?.inventory }, position: done.position, sessionUuid: msg.auth.sessionUuid };
  }
}
