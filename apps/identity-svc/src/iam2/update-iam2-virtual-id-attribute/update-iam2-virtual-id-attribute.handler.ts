import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { APIUpdateIAM2VirtualIDAttributeMsg } from '@cp/contracts';
import type { HandlerOutcome } from '@cp/bus';
import { attributeNotFound, attributeOf, decideVirtualID } from '@cp/domain/identity';
import { IAM2VirtualIDReadModel } from '@cp/read-models/identity';
import { IAM2VirtualIDCommands } from '../virtual-id-commands';

/** The API names only the attribute: the read model says which virtual ID's stream it lives in. */
@CommandHandler(APIUpdateIAM2VirtualIDAttributeMsg)
export class UpdateIAM2VirtualIDAttributeHandler implements ICommandHandler<APIUpdateIAM2VirtualIDAttributeMsg, HandlerOutcome> {
  constructor(
    private readonly commands: IAM2VirtualIDCommands,
    private readonly virtualIds: IAM2VirtualIDReadModel,
  ) {}

  async execute(msg: APIUpdateIAM2VirtualIDAttributeMsg): Promise<HandlerOutcome> {
    const cmd = { attributeUuid: msg.uuid, value: msg.value };
    // An unknown attribute is refused before an invalid session (ZStack's order).
    const virtualIdUuid = this.virtualIds.virtualIdOfAttribute(cmd.attributeUuid);
    if (virtualIdUuid === undefined) throw attributeNotFound('uuid', cmd.attributeUuid);
    const done = await this.commands.run(msg, virtualIdUuid, (state) =>
      decideVirtualID({ type: 'UpdateIAM2VirtualIDAttribute', data: cmd, auth: msg.call.auth, now: new Date().toISOString() }, state));
    return { result: { inventory: attributeOf(cmd.attributeUuid, done.state) }, position: done.position };
  }
}
