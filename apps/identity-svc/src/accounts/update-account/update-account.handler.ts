import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { APIUpdateAccountMsg, apiByName, subjectOf, validatePayload, type AccountState as AccountStatus } from '@cp/contracts';
import type { BusMessage, HandlerOutcome } from '@cp/bus';
import { PasswordHasher } from '../../passwords/password-hasher';
import { Authenticator } from '../../sessions/authenticator';
import { SessionStore } from '../../sessions/session.store';
import { checkUpdateAccount, decideUpdateAccount, type UpdateAccount } from '@cp/domain/identity';
import { AccountCommands } from '../account-commands';
import { AccountReadModel } from '@cp/read-models/identity';

@Controller()
export class UpdateAccountHandler {
  constructor(
    private readonly commands: AccountCommands,
    private readonly accounts: AccountReadModel,
    private readonly auth: Authenticator,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionStore,
  ) {}

  @MessagePattern(subjectOf(apiByName('UpdateAccount')))
  async handle(msg: BusMessage): Promise<HandlerOutcome> {
    const dto = validatePayload(APIUpdateAccountMsg, msg.payload);
    const cmd: UpdateAccount = {
      uuid: dto.uuid,
      name: dto.name,
      description: dto.description,
      state: dto.state as AccountStatus | undefined,
      changesPassword: dto.password !== undefined,
      checksOldPassword: dto.oldPassword !== undefined,
    };
    const auth = await this.auth.authenticate(msg.auth);
    // Refuse before paying for a slow hash; decide checks again against the state it appends to.
    const current = checkUpdateAccount(cmd, this.accounts.get(cmd.uuid) ?? null, auth, this.accounts.uuidByName);
    const newPasswordHash = dto.password !== undefined ? await this.hasher.hash(dto.password) : undefined;
    const oldPasswordMatches = dto.oldPassword !== undefined
      ? await this.hasher.verify(dto.oldPassword, current.passwordHash)
      : undefined;
    const done = await this.commands.run(msg, cmd.uuid, auth.ok ? auth.caller.accountUuid : null, (state) =>
      decideUpdateAccount(cmd, state, auth, {
        nameTakenBy: this.accounts.uuidByName, now: new Date().toISOString(), newPasswordHash, oldPasswordMatches,
      }));
    // A changed password or a disabled account ends the account's sessions (as ZStack's SessionExtensions).
    if (cmd.changesPassword || (cmd.state !== undefined && cmd.state !== 'Enabled')) {
      await this.sessions.endSessionsOf(cmd.uuid);
    }
    return { result: { inventory: done.state?.inventory }, position: done.position, sessionUuid: msg.auth.sessionUuid };
  }
}

