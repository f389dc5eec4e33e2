import { Inject, Injectable } from '@nestjs/common';
import { invalidSession, type BusAuth } from '@cp/contracts';
import type { Auth, Caller } from '../accounts/account.decider';
import { AccountReadModel } from '../accounts/account.read-model';
import { IDENTITY_CONFIG, type IdentityConfig } from '../config';
import { isExpired, slide } from './session.rules';
import { SessionStore } from './session.store';

/**
 * Resolves the caller of a bus request from its session, renewing the session on the way
 * (ZStack's AuthorizationManager.evaluateSession). The outcome is handed to the domain, which
 * rejects an invalid session in ZStack's order (after resource checks).
 */
@Injectable()
export class Authenticator {
  constructor(
    private readonly sessions: SessionStore,
    private readonly accounts: AccountReadModel,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
  ) {}

  async authenticate(auth: BusAuth, nowMs = Date.now()): Promise<Auth> {
    const uuid = auth.sessionUuid?.trim();
    if (!uuid) return { ok: false, error: invalidSession('session uuid is null') };
    const session = await this.sessions.get(uuid);
    if (!session || isExpired(session, nowMs) || !this.accounts.get(session.accountUuid)) {
      return { ok: false, error: invalidSession('Session expired') };
    }
    const renewed = slide(session, nowMs, this.config.sessionTimeoutSec);
    if (renewed) await this.sessions.put(renewed);
    return { ok: true, caller: { accountUuid: session.accountUuid, userUuid: session.userUuid, userType: session.userType as Caller['userType'] } };
  }
}
