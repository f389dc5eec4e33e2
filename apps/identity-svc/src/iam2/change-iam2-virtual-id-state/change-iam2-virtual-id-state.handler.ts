import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { APIChangeIAM2VirtualIDStateMsg, apiByName, subjectOf, validatePayload, type IAM2VirtualIDStateEvent } from '@cp/contracts';
import type { BusMessage, HandlerOutcome } from '@cp/bus';
import { Authenticator } from '../../sessions/authenticator';
import { SessionStore } from '../../sessions/session.store';
import { decideChangeVirtualIDState } from '@cp/domain/identity';
import { IAM2VirtualIDCommands } from '../virtual-id-commands';

@Controller()
export class ChangeIAM2VirtualIDStateHandler {
  constructor(
    private readonly commands: IAM2VirtualIDCommands,
    private readonly auth: Authenticator,
    private readonly sessions: SessionStore,
  ) {}

  @MessagePattern(subjectOf(apiByName('ChangeIAM2VirtualIDState')))
  async handle(msg: BusMessage): Promise<HandlerOutcome> {
    const dto = validatePayload(APIChangeIAM2VirtualIDStateMsg, msg.payload);
    const cmd = { uuid: dto.uuid, stateEvent: dto.stateEvent as IAM2VirtualIDStateEvent };
    const auth = await this.auth.authenticate(msg.auth);
    const done = await this.commands.run(msg, cmd.uuid, auth.ok ? auth.caller.accountUuid : null, (state) =>
      decideChangeVirtualIDState(cmd, state, auth, new Date().toISOString()));
    // A disabled virtual ID's sessions end at once.
    if (cmd.stateEvent === 'disable') await this.sessions.endSessionsOf(cmd.uuid);
    return { result: { inventory: done.state?.inventory }, position: done.position, sessionUuid: msg.auth.sessionUuid };
  }
}
