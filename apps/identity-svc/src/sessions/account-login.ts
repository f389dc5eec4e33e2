import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ZStackError, authenticationError, type SessionInventory } from '@cp/contracts';
import { AccountReadModel } from '../accounts/account.read-model';
import { IDENTITY_CONFIG, type IdentityConfig } from '../config';
import { PasswordHasher } from '../passwords/password-hasher';
import { newSession, toInventory } from './session.rules';
import { SessionStore } from './session.store';

/** Account login, shared by LogInByAccount and the generic LogIn with loginType `account`. */
@Injectable()
export class AccountLogin {
  constructor(
    private readonly accounts: AccountReadModel,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionStore,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
  ) {}

  async logIn(name: string, password: string, accountType?: string): Promise<SessionInventory> {
    const uuid = this.accounts.uuidByName(name);
    const account = uuid ? this.accounts.get(uuid) : undefined;
    // An unknown name costs the same slow hash as a wrong password: timing tells nothing.
    const matches = account
      ? await this.hasher.verify(password, account.passwordHash)
      : await this.hasher.verifyAgainstNothing(password);
    if (!account || !matches || (accountType && accountType !== account.inventory.type)) {
      throw authenticationError('wrong account name or password');
    }
    if (account.inventory.state === 'Disabled') throw new ZStackError('ID.1007', 'failed to login: account is disabled');
    if (account.inventory.state === 'Staled') throw authenticationError('failed to login: account is staled');
    const now = Date.now();
    if (this.sessions.countFor(account.inventory.uuid, now) >= this.config.sessionMaxConcurrent) {
      throw new ZStackError('ID.1006', `Login sessions hit limit of max allowed concurrent login sessions: ${this.config.sessionMaxConcurrent}`);
    }
    const session = newSession(randomUUID().replace(/-/g, ''), account.inventory.uuid, now, this.config.sessionTimeoutSec);
    await this.sessions.put(session);
    return toInventory(session);
  }
}
