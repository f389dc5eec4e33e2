import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { APIDeleteAccountMsg } from '@cp/contracts';
import { UniqueNames, type HandlerOutcome } from '@cp/bus';
import { decideAccount } from '@cp/domain/identity';
import { SessionStore } from '../../sessions/session.store';
import { AccountReadModel } from '@cp/read-models/identity';
import { AccountCommands, accountName } from '../account-commands';

@CommandHandler(APIDeleteAccountMsg)
export class DeleteAccountHandler implements ICommandHandler<APIDeleteAccountMsg, HandlerOutcome> {
  constructor(
    private readonly commands: AccountCommands,
    private readonly sessions: SessionStore,
    private readonly accounts: AccountReadModel,
    private readonly names: UniqueNames,
  ) {}

  async execute(msg: APIDeleteAccountMsg): Promise<HandlerOutcome> {
    const name = this.accounts.get(msg.uuid)?.inventory.name;
    const done = await this.commands.run(msg, msg.uuid, (state) =>
      decideAccount({ type: 'DeleteAccount', data: { uuid: msg.uuid }, auth: msg.call.auth, now: new Date().toISOString() }, state));
    // ZStack removes a deleted account's sessions with it.
    if (done.position !== null) await this.sessions.endSessionsOf(msg.uuid);
    // Its name is free again, on every replica.
    if (done.position !== null && name !== undefined) await this.names.release(accountName(this.accounts, name, msg.uuid));
    return { result: {}, position: done.position };
  }
}
