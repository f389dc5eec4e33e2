import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { APIDeleteIAM2VirtualIDMsg } from '@cp/contracts';
import type { HandlerOutcome } from '@cp/bus';
import { decideVirtualID } from '@cp/domain/identity';
import { SessionStore } from '../../sessions/session.store';
import { IAM2VirtualIDCommands } from '../virtual-id-commands';

@CommandHandler(APIDeleteIAM2VirtualIDMsg)
export class DeleteIAM2VirtualIDHandler implements ICommandHandler<APIDeleteIAM2VirtualIDMsg, HandlerOutcome> {
  constructor(
    private readonly commands: IAM2VirtualIDCommands,
    private readonly sessions: SessionStore,
  ) {}

  async execute(msg: APIDeleteIAM2VirtualIDMsg): Promise<HandlerOutcome> {
    const done = await this.commands.run(msg, msg.uuid, (state) =>
      decideVirtualID({ type: 'DeleteIAM2VirtualID', data: { uuid: msg.uuid }, auth: msg.call.auth, now: new Date().toISOString() }, state));
    // A deleted virtual ID's sessions end with it.
    if (done.position !== null) await this.sessions.endSessionsOf(msg.uuid);
    return { result: {}, position: done.position };
  }
}
