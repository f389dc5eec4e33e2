import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { APIRemoveAttributesFromIAM2VirtualIDMsg, apiByName, subjectOf, validatePayload } from '@cp/contracts';
import type { BusMessage, HandlerOutcome } from '@cp/bus';
import { Authenticator } from '../../sessions/authenticator';
import { decideRemoveAttributes } from '@cp/domain/identity';
import { IAM2VirtualIDCommands } from '../virtual-id-commands';

@Controller()
export class RemoveAttributesFromIAM2VirtualIDHandler {
  constructor(
    private readonly commands: IAM2VirtualIDCommands,
    private readonly auth: Authenticator,
  ) {}

  @MessagePattern(subjectOf(apiByName('RemoveAttributesFromIAM2VirtualID')))
  async handle(msg: BusMessage): Promise<HandlerOutcome> {
    const dto = validatePayload(APIRemoveAttributesFromIAM2VirtualIDMsg, msg.payload);
    const attributeUuids = dto.attributeUuids.map(String);
    const auth = await this.auth.authenticate(msg.auth);
    const done = await this.commands.run(msg, dto.uuid, auth.ok ? auth.caller.accountUuid : null, (state) =>
      decideRemoveAttributes({ uuid: dto.uuid, attributeUuids }, state, auth, new Date().toISOString()));
    return { result: {}, position: done.position, sessionUuid: msg.auth.sessionUuid };
  }
}
