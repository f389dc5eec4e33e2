import { Injectable } from '@nestjs/common';
import type { SessionInventory } from '@cp/contracts';
import type { BusMessage } from '@cp/bus';
import { AccountReadModel } from '@cp/read-models/identity';
import { PasswordHasher } from '../passwords/password-hasher';
import { LoginGuard } from './login-guard';

/** Account login, shared by LogInByAccount and the generic LogIn with loginType `account`. */
@Injectable()
export class AccountLogin {
  constructor(
    private readonly accounts: AccountReadModel,
    private readonly hasher: PasswordHasher,
    private readonly guard: LoginGuard,
  ) {}

  logIn(msg: BusMessage, name: string, password: string, accountType?: string): Promise<SessionInventory> {
    return this.guard.logIn('account', name, msg, async () => {
      const uuid = this.accounts.uuidByName(name);
      const account = uuid ? this.accounts.get(uuid) : undefined;
      // An unknown name costs the same slow hash as a wrong password: timing tells nothing.
      const matches = account
        ? await this.hasher.verify(password, account.passwordHash)
        : await this.hasher.verifyAgainstNothing(password);
      if (!account || !matches || (accountType && accountType !== account.inventory.type)) return null;
      const { uuid: accountUuid, state } = account.inventory;
      return { accountUuid, userUuid: accountUuid, state };
    });
  }
}
