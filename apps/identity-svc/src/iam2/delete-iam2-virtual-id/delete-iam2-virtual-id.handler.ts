import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { APIDeleteIAM2VirtualIDMsg } from '@cp/contracts';
import { UniqueNames, type HandlerOutcome } from '@cp/bus';
import { decideVirtualID } from '@cp/domain/identity';
import { SessionStore } from '../../sessions/session.store';
import { IAM2VirtualIDReadModel } from '@cp/read-models/identity';
import { IAM2VirtualIDCommands, virtualIdName } from '../virtual-id-commands';

@CommandHandler(APIDeleteIAM2VirtualIDMsg)
export class DeleteIAM2VirtualIDHandler implements ICommandHandler<APIDeleteIAM2VirtualIDMsg, HandlerOutcome> {
  constructor(
    private readonly commands: IAM2VirtualIDCommands,
    private readonly sessions: SessionStore,
    private readonly virtualIds: IAM2VirtualIDReadModel,
    private readonly names: UniqueNames,
  ) {}

  async execute(msg: APIDeleteIAM2VirtualIDMsg): Promise<HandlerOutcome> {
    const name = this.virtualIds.get(msg.uuid)?.inventory.name;
    const done = await this.commands.run(msg, msg.uuid, (state) =>
      decideVirtualID({ type: 'DeleteIAM2VirtualID', data: { uuid: msg.uuid }, auth: msg.call.auth, now: new Date().toISOString() }, state));
    // A deleted virtual ID's sessions end with it.
    if (done.position !== null) await this.sessions.endSessionsOf(msg.uuid);
    // Its name is free again, on every replica.
    if (done.position !== null && name !== undefined) await this.names.release(virtualIdName(this.virtualIds, name, msg.uuid));
    return { result: {}, position: done.position };
  }
}
