import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { APIDeleteIAM2VirtualIDMsg, apiByName, subjectOf, validatePayload } from '@cp/contracts';
import type { BusMessage, HandlerOutcome } from '@cp/bus';
import { Authenticator } from '../../sessions/authenticator';
import { SessionStore } from '../../sessions/session.store';
import { decideDeleteVirtualID } from '@cp/domain/identity';
import { IAM2VirtualIDCommands } from '../virtual-id-commands';

@Controller()
export class DeleteIAM2VirtualIDHandler {
  constructor(
    private readonly commands: IAM2VirtualIDCommands,
    private readonly auth: Authenticator,
    private readonly sessions: SessionStore,
  ) {}

  @MessagePattern(subjectOf(apiByName('DeleteIAM2VirtualID')))
  async handle(msg: BusMessage): Promise<HandlerOutcome> {
    const dto = validatePayload(APIDeleteIAM2VirtualIDMsg, msg.payload);
    const auth = await this.auth.authenticate(msg.auth);
    const done = await this.commands.run(msg, dto.uuid, auth.ok ? auth.caller.accountUuid : null, (state) =>
      decideDeleteVirtualID(dto.uuid, state, auth, new Date().toISOString()));
    // A deleted virtual ID's sessions end with it.
    if (done.position !== null) await this.sessions.endSessionsOf(dto.uuid);
    return { result: {}, position: done.position, sessionUuid: msg.auth.sessionUuid };
  }
}
