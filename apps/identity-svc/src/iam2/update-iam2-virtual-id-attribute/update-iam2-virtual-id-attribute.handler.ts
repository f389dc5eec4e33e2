import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { APIUpdateIAM2VirtualIDAttributeMsg, apiByName, subjectOf, validatePayload } from '@cp/contracts';
import type { BusMessage, HandlerOutcome } from '@cp/bus';
import { Authenticator } from '../../sessions/authenticator';
import { attributeNotFound, attributeOf, decideUpdateAttribute } from '@cp/domain/identity';
import { IAM2VirtualIDCommands } from '../virtual-id-commands';
import { IAM2VirtualIDReadModel } from '@cp/read-models/identity';

/** The API names only the attribute: the read model says which virtual ID's stream it lives in. */
@Controller()
export class UpdateIAM2VirtualIDAttributeHandler {
  constructor(
    private readonly commands: IAM2VirtualIDCommands,
    private readonly virtualIds: IAM2VirtualIDReadModel,
    private readonly auth: Authenticator,
  ) {}

  @MessagePattern(subjectOf(apiByName('UpdateIAM2VirtualIDAttribute')))
  async handle(msg: BusMessage): Promise<HandlerOutcome> {
    const dto = validatePayload(APIUpdateIAM2VirtualIDAttributeMsg, msg.payload);
    const cmd = { attributeUuid: dto.uuid, value: dto.value };
    const virtualIdUuid = this.virtualIds.virtualIdOfAttribute(cmd.attributeUuid);
    if (virtualIdUuid === undefined) throw attributeNotFound('uuid', cmd.attributeUuid);
    const auth = await this.auth.authenticate(msg.auth);
    const done = await this.commands.run(msg, virtualIdUuid, auth.ok ? auth.caller.accountUuid : null, (state) =>
      decideUpdateAttribute(cmd, state, auth, new Date().toISOString()));
    return { result: { inventory: attributeOf(cmd.attributeUuid, done.state) }, position: done.position, sessionUuid: msg.auth.sessionUuid };
  }
}
