import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { APIDeleteAccountMsg, apiByName, subjectOf, validatePayload } from '@cp/contracts';
import type { BusMessage, HandlerOutcome } from '@cp/bus';
import { Authenticator } from '../../sessions/authenticator';
import { SessionStore } from '../../sessions/session.store';
import { decideDeleteAccount } from '@cp/domain/identity';
import { AccountCommands } from '../account-commands';

@Controller()
export class DeleteAccountHandler {
  constructor(
    private readonly commands: AccountCommands,
    private readonly auth: Authenticator,
    private readonly sessions: SessionStore,
  ) {}

  @MessagePattern(subjectOf(apiByName('DeleteAccount')))
  async handle(msg: BusMessage): Promise<HandlerOutcome> {
    const dto = validatePayload(APIDeleteAccountMsg, msg.payload);
    const auth = await this.auth.authenticate(msg.auth);
    const done = await this.commands.run(msg, dto.uuid, auth.ok ? auth.caller.accountUuid : null, (state) =>
      decideDeleteAccount(dto.uuid, state, auth, new Date().toISOString()));
    // ZStack removes a deleted account's sessions with it.
    if (done.position !== null) await this.sessions.endSessionsOf(dto.uuid);
    return { result: {}, position: done.position, sessionUuid: msg.auth.sessionUuid };
  }
}
