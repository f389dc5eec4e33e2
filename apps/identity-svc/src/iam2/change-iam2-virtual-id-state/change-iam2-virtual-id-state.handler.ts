import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { APIChangeIAM2VirtualIDStateMsg, type IAM2VirtualIDStateEvent } from '@cp/contracts';
import type { HandlerOutcome } from '@cp/bus';
import { decideVirtualID } from '@cp/domain/identity';
import { SessionStore } from '../../sessions/session.store';
import { IAM2VirtualIDCommands } from '../virtual-id-commands';

@CommandHandler(APIChangeIAM2VirtualIDStateMsg)
export class ChangeIAM2VirtualIDStateHandler implements ICommandHandler<APIChangeIAM2VirtualIDStateMsg, HandlerOutcome> {
  constructor(
    private readonly commands: IAM2VirtualIDCommands,
    private readonly sessions: SessionStore,
  ) {}

  async execute(msg: APIChangeIAM2VirtualIDStateMsg): Promise<HandlerOutcome> {
    const cmd = { uuid: msg.uuid, stateEvent: msg.stateEvent as IAM2VirtualIDStateEvent };
    const done = await this.commands.run(msg, cmd.uuid, (state) =>
      decideVirtualID({ type: 'ChangeIAM2VirtualIDState', data: cmd, auth: msg.call.auth, now: new Date().toISOString() }, state));
    // A disabled virtual ID's sessions end at once.
    if (cmd.stateEvent === 'disable') await this.sessions.endSessionsOf(cmd.uuid);
    return { result: { inventory: done.state?.inventory }, position: done.position };
  }
}
