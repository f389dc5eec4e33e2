import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { APIAddAttributesToIAM2VirtualIDMsg, apiByName, attributeInfosOf, subjectOf, validatePayload } from '@cp/contracts';
import { uuidFromCommand, type BusMessage, type HandlerOutcome } from '@cp/bus';
import { Authenticator } from '../../sessions/authenticator';
import { decideAddAttributes } from '@cp/domain/identity';
import { IAM2VirtualIDCommands } from '../virtual-id-commands';

/** Adds `Customized` attributes; their uuids derive from the command id, so a retried command adds nothing twice. */
@Controller()
export class AddAttributesToIAM2VirtualIDHandler {
  constructor(
    private readonly commands: IAM2VirtualIDCommands,
    private readonly auth: Authenticator,
  ) {}

  @MessagePattern(subjectOf(apiByName('AddAttributesToIAM2VirtualID')))
  async handle(msg: BusMessage): Promise<HandlerOutcome> {
    const dto = validatePayload(APIAddAttributesToIAM2VirtualIDMsg, msg.payload);
    const attributes = attributeInfosOf(dto.attributes, APIAddAttributesToIAM2VirtualIDMsg.name)
      .map((a, i) => ({ ...a, uuid: uuidFromCommand(msg.commandId, `iam2vid-attribute:${i}`) }));
    const auth = await this.auth.authenticate(msg.auth);
    const done = await this.commands.run(msg, dto.uuid, auth.ok ? auth.caller.accountUuid : null, (state) =>
      decideAddAttributes({ uuid: dto.uuid, attributes }, state, auth, new Date().toISOString()));
    return { result: {}, position: done.position, sessionUuid: msg.auth.sessionUuid };
  }
}
