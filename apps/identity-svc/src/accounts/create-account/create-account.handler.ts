import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { APICreateAccountMsg, apiByName, subjectOf, validatePayload, type AccountState, type AccountType } from '@cp/contracts';
import { uuidFromCommand, type BusMessage, type HandlerOutcome } from '@cp/bus';
import { PasswordHasher } from '../../passwords/password-hasher';
import { Authenticator } from '../../sessions/authenticator';
import { checkCreateAccount, decideCreateAccount, type CreateAccount } from '@cp/domain/identity';
import { AccountCommands } from '../account-commands';
import { AccountReadModel } from '@cp/read-models/identity';

@Controller()
export class CreateAccountHandler {
  constructor(
    private readonly commands: AccountCommands,
    private readonly accounts: AccountReadModel,
    private readonly auth: Authenticator,
    private readonly hasher: PasswordHasher,
  ) {}

  @MessagePattern(subjectOf(apiByName('CreateAccount')))
  async handle(msg: BusMessage): Promise<HandlerOutcome> {
    const dto = validatePayload(APICreateAccountMsg, msg.payload);
    const auth = await this.auth.authenticate(msg.auth);
    const cmd: CreateAccount = {
      uuid: dto.resourceUuid ?? uuidFromCommand(msg.commandId, 'account'),
      name: dto.name,
      description: dto.description,
      type: (dto.type ?? 'Normal') as AccountType,
      state: (dto.state ?? 'Enabled') as AccountState,
    };
    // Refuse before paying for the slow hash; decide checks again against the state it appends to.
    checkCreateAccount(cmd, this.accounts.get(cmd.uuid) ?? null, auth, this.accounts.uuidByName);
    const passwordHash = await this.hasher.hash(dto.password);
    const done = await this.commands.run(msg, cmd.uuid, auth.ok ? auth.caller.accountUuid : null, (state) =>
      decideCreateAccount(cmd, state, auth, { nameTakenBy: this.accounts.uuidByName, passwordHash, now: new Date().toISOString() }));
    return { result: { inventory: done.state?.inventory }, position: done.position, sessionUuid: msg.auth.sessionUuid };
  }
}
