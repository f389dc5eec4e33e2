import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { APIUpdateAccountMsg, type AccountState as AccountStatus } from '@cp/contracts';
import { UniqueNames, type HandlerOutcome } from '@cp/bus';
import { checkUpdateAccount, decideAccount, type UpdateAccount } from '@cp/domain/identity';
import { AccountReadModel } from '@cp/read-models/identity';
import { PasswordHasher } from '../../passwords/password-hasher';
import { SessionStore } from '../../sessions/session.store';
import { AccountCommands, accountName } from '../account-commands';

@CommandHandler(APIUpdateAccountMsg)
export class UpdateAccountHandler implements ICommandHandler<APIUpdateAccountMsg, HandlerOutcome> {
  constructor(
    private readonly commands: AccountCommands,
    private readonly accounts: AccountReadModel,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionStore,
    private readonly names: UniqueNames,
  ) {}

  async execute(msg: APIUpdateAccountMsg): Promise<HandlerOutcome> {
    const auth = msg.call.auth;
    const cmd: UpdateAccount = {
      uuid: msg.uuid,
      name: msg.name,
      description: msg.description,
      state: msg.state as AccountStatus | undefined,
      changesPassword: msg.password !== undefined,
      checksOldPassword: msg.oldPassword !== undefined,
    };
    // Checked twice on purpose. Here, against the read model, before paying for a slow hash: a refused
    // update (unknown account, invalid session, another account, a non-admin state change, a taken name) costs no scrypt,
    // so refusals cannot be used to load the service, and the old password is verified against the
    // hash this check found. Then decide checks again against the state it appends to, which may have
    // moved while the hashes ran (a concurrent rename, delete or disable).
    const current = checkUpdateAccount(cmd, this.accounts.get(cmd.uuid) ?? null, auth, this.accounts.uuidByName);
    const update = async (takenBy: string | undefined) => {
      const newPasswordHash = msg.password !== undefined ? await this.hasher.hash(msg.password) : undefined;
      const oldPasswordMatches = msg.oldPassword !== undefined
        ? await this.hasher.verify(msg.oldPassword, current.passwordHash)
        : undefined;
      return this.commands.run(msg, cmd.uuid, (state) => decideAccount({
        type: 'UpdateAccount', data: cmd, auth, now: new Date().toISOString(), newPasswordHash, oldPasswordMatches,
        nameTakenBy: cmd.name !== undefined ? takenBy ?? this.accounts.uuidByName(cmd.name) : undefined,
      }, state));
    };
    // A new name is claimed across replicas first; the old one is given up once the rename is stored.
    const renamed = cmd.name !== undefined && cmd.name !== current.inventory.name;
    const done = renamed ? await this.names.holding(accountName(this.accounts, cmd.name!, cmd.uuid), update) : await update(undefined);
    if (renamed && done.position !== null) await this.names.release(accountName(this.accounts, current.inventory.name, cmd.uuid));
    // A changed password or a disabled account ends the account's sessions (as ZStack's SessionExtensions).
    if (cmd.changesPassword || (cmd.state !== undefined && cmd.state !== 'Enabled')) {
      await this.sessions.endSessionsOf(cmd.uuid);
    }
    return { result: { inventory: done.state?.inventory }, position: done.position };
  }
}
