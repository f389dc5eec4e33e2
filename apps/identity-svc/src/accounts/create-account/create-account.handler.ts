import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { APICreateAccountMsg, type AccountState, type AccountType } from '@cp/contracts';
import { UniqueNames, uuidFromCommand, type HandlerOutcome } from '@cp/bus';
import { checkCreateAccount, decideAccount, type CreateAccount } from '@cp/domain/identity';
import { AccountReadModel } from '@cp/read-models/identity';
import { PasswordHasher } from '../../passwords/password-hasher';
import { AccountCommands, accountName } from '../account-commands';

@CommandHandler(APICreateAccountMsg)
export class CreateAccountHandler implements ICommandHandler<APICreateAccountMsg, HandlerOutcome> {
  constructor(
    private readonly commands: AccountCommands,
    private readonly accounts: AccountReadModel,
    private readonly hasher: PasswordHasher,
    private readonly names: UniqueNames,
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
    // The name, claimed across replicas: another replica's create of the same name is refused as a duplicate.
    const done = await this.names.holding(accountName(this.accounts, cmd.name, cmd.uuid), async (takenBy) => {
      const passwordHash = await this.hasher.hash(msg.password);
      return this.commands.run(msg, cmd.uuid, (state) => decideAccount({
        type: 'CreateAccount', data: cmd, auth, now: new Date().toISOString(), passwordHash,
        nameTakenBy: takenBy ?? this.accounts.uuidByName(cmd.name),
      }, state));
    });
    return { result: { inventory: done.state?.inventory }, position: done.position };
  }
}
