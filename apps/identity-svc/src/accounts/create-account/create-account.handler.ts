import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { APICreateAccountMsg, type AccountState, type AccountType } from '@cp/contracts';
import { uuidFromCommand, type HandlerOutcome } from '@cp/bus';
import { checkCreateAccount, decideAccount, type CreateAccount } from '@cp/domain/identity';
import { AccountReadModel } from '@cp/read-models/identity';
import { PasswordHasher } from '../../passwords/password-hasher';
import { AccountCommands } from '../account-commands';

@CommandHandler(APICreateAccountMsg)
export class CreateAccountHandler implements ICommandHandler<APICreateAccountMsg, HandlerOutcome> {
  constructor(
    private readonly commands: AccountCommands,
    private readonly accounts: AccountReadModel,
    private readonly hasher: PasswordHasher,
  ) {}

  async execute(msg: APICreateAccountMsg): Promise<HandlerOutcome> {
    const auth = msg.call.auth;
    const cmd: CreateAccount = {
      uuid: msg.resourceUuid ?? uuidFromCommand(msg.call.bus.commandId, 'account'),
      name: msg.name,
      description: msg.description,
      type: (msg.type ?? 'Normal') as AccountType,
      state: (msg.state ?? 'Enabled') as AccountState,
    };
    // Refuse before paying for the slow hash (a refused create costs no scrypt); decide checks again
    // against the state it appends to, which may have moved while the hash ran.
    checkCreateAccount(cmd, this.accounts.get(cmd.uuid) ?? null, auth, this.accounts.uuidByName);
    const passwordHash = await this.hasher.hash(msg.password);
    const done = await this.commands.run(msg, cmd.uuid, (state) => decideAccount({
      type: 'CreateAccount', data: cmd, auth, now: new Date().toISOString(), passwordHash,
      nameTakenBy: this.accounts.uuidByName(cmd.name),
    }, state));
    return { result: { inventory: done.state?.inventory }, position: done.position };
  }
}
