import { randomUUID } from 'node:crypto';
import { Controller, Inject } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { APILogInByAccountMsg, ZStackError, apiByName, authenticationError, subjectOf, validatePayload } from '@cp/contracts';
import type { BusMessage, HandlerOutcome } from '@cp/bus';
import { AccountReadModel } from '../../accounts/account.read-model';
import { IDENTITY_CONFIG, type IdentityConfig } from '../../config';
import { PasswordHasher } from '../../passwords/password-hasher';
import { newSession, toInventory } from '../session.rules';
import { SessionStore } from '../session.store';

@Controller()
export class LogInByAccountHandler {
  constructor(
    private readonly accounts: AccountReadModel,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionStore,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
  ) {}

  @MessagePattern(subjectOf(apiByName('LogInByAccount')))
  async handle(msg: BusMessage): Promise<HandlerOutcome> {
    const dto = validatePayload(APILogInByAccountMsg, msg.payload);
    const uuid = this.accounts.uuidByName(dto.accountName);
    const account = uuid ? this.accounts.get(uuid) : undefined;
    // An unknown name costs the same slow hash as a wrong password: timing tells nothing.
    const matches = account
      ? await this.hasher.verify(dto.password, account.passwordHash)
      : await this.hasher.verifyAgainstNothing(dto.password);
    if (!account || !matches || (dto.accountType && dto.accountType !== account.inventory.type)) {
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
    return { result: { inventory: toInventory(session) } };
  }
}
