import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ZStackError, authenticationError, type SessionInventory } from '@cp/contracts';
import type { BusMessage } from '@cp/bus';
import type { EventStore } from '@cp/event-store';
import { IDENTITY_CONFIG, type IdentityConfig } from '../config';
import { EVENT_STORE } from '@cp/bus';
import { afterFailure, afterGlobalFailure, isLocked, newSession, toSessionInventory as toInventory } from '@cp/domain/identity';
import { LoginLockoutStore } from './login-lockout.store';
import { observeLoginFailure, observeLoginLockout } from '@cp/observability';
import { SessionStore } from './session.store';

export type LoginKind = 'account' | 'iam2';

/** Who a login name and password turned out to be. */
export interface LoginPrincipal {
  accountUuid: string;
  userUuid: string;
  userType?: 'IAM2VirtualID';
  state: string;
}

export const LOCKED_DETAILS = 'the login is temporarily locked after repeated failures; try again later';
const WRONG_DETAILS = 'wrong account name or password';

/**
 * Every login goes through here, whatever it logs in (an account, a virtual ID): the lockout check,
 * the password check the caller supplies, the state checks, the session, and an audit event for each
 * attempt (never with the password). A locked name is refused with the same answer whether or not it
 * exists, and before any password check.
 *
 * Failures are counted per name and source address (the client's address the gateway relays; `bus`
 * for callers on NATS), so failing on purpose from one address locks that address out of the name,
 * not its owner at another address; and per name across all addresses, with a much higher bound that
 * locks the name for a short fixed time (docs/limits.md, "Login lockout").
 */
@Injectable()
export class LoginGuard {
  private readonly log = new Logger('LoginGuard');

  constructor(
    private readonly lockout: LoginLockoutStore,
    private readonly sessions: SessionStore,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
  ) {}

  async logIn(
    kind: LoginKind, name: string, msg: BusMessage,
    verify: () => Promise<LoginPrincipal | null>,
  ): Promise<SessionInventory> {
    const now = Date.now();
    const source = sourceOf(msg);
    const globalBound = this.config.loginGlobalLockout.maxFailures > 0;
    const [fromHere, fromAnywhere] = await Promise.all([
      this.lockout.get(kind, name, source),
      globalBound ? this.lockout.get(kind, name) : null,
    ]);
    if (isLocked(fromHere, now) || isLocked(fromAnywhere, now)) {
      observeLoginFailure(kind, 'locked');
      await this.audit(kind, name, msg, { outcome: 'refused', reason: isLocked(fromHere, now) ? 'locked' : 'locked for every address' });
      throw authenticationError(LOCKED_DETAILS);
    }
    const principal = await verify();
    if (!principal) {
      const [record, global] = await Promise.all([
        this.lockout.update(kind, name, source, (current) => afterFailure(current, Date.now(), this.config.loginLockout)),
        globalBound ? this.lockout.update(kind, name, undefined, (current) => afterGlobalFailure(current, Date.now(), this.config.loginGlobalLockout)) : null,
      ]);
      observeLoginFailure(kind, 'wrong_credentials');
      if (isLocked(record, Date.now()) || isLocked(global, Date.now())) observeLoginLockout(kind);
      const lockedUntil = Math.max(record.lockedUntil, global?.lockedUntil ?? 0);
      await this.audit(kind, name, msg, { outcome: 'failed', reason: 'wrong name or password', lockedUntil: lockedUntil || undefined });
      throw authenticationError(WRONG_DETAILS);
    }
    // A success ends this address's streak only: the failures of other addresses still count toward the bound.
    await this.lockout.clear(kind, name, source);
    const what = kind === 'account' ? 'account' : 'virtual ID';
    if (principal.state !== 'Enabled') observeLoginFailure(kind, principal.state.toLowerCase());
    if (principal.state === 'Disabled') {
      await this.audit(kind, name, msg, { outcome: 'refused', reason: 'disabled', principal });
      throw new ZStackError('ID.1007', `failed to login: ${what} is disabled`);
    }
    if (principal.state !== 'Enabled') {
      await this.audit(kind, name, msg, { outcome: 'refused', reason: principal.state.toLowerCase(), principal });
      throw authenticationError(`failed to login: ${what} is ${principal.state.toLowerCase()}`);
    }
    if (this.sessions.countFor(principal.userUuid, now) >= this.config.sessionMaxConcurrent) {
      throw new ZStackError('ID.1006', `Login sessions hit limit of max allowed concurrent login sessions: ${this.config.sessionMaxConcurrent}`);
    }
    const session = { ...newSession(randomUUID().replace(/-/g, ''), principal.accountUuid, now, this.config.sessionTimeoutSec), userUuid: principal.userUuid, ...(principal.userType ? { userType: principal.userType } : {}) };
    await this.sessions.put(session);
    await this.audit(kind, name, msg, { outcome: 'succeeded', principal });
    return toInventory(session);
  }

  /**
   * One event per attempt in the stream `login-<sha256 of kind and name>`: who tried, as what, and
   * how it ended. Losing an audit event must not turn a login into an error, so a failed append is
   * logged instead.
   */
  private async audit(
    kind: LoginKind, name: string, msg: BusMessage,
    detail: { outcome: 'succeeded' | 'failed' | 'refused'; reason?: string; principal?: LoginPrincipal; lockedUntil?: number },
  ): Promise<void> {
    const type = detail.outcome === 'succeeded' ? 'LoginSucceeded' : 'LoginFailed';
    const data = {
      loginType: kind, name, outcome: detail.outcome, reason: detail.reason, clientAddress: msg.clientAddress,
      accountUuid: detail.principal?.accountUuid, userUuid: detail.principal?.userUuid,
      lockedUntil: detail.lockedUntil ? new Date(detail.lockedUntil).toISOString() : undefined,
    };
    const occurredAt = new Date().toISOString();
    try {
      // A fresh commit id: a client may reuse a request id for several attempts, each must be recorded.
      await this.store.append(`login-${loginStreamKey(kind, name)}`, [{ type, data: JSON.parse(JSON.stringify(data)) }], 'any', {
        commitId: randomUUID().replace(/-/g, ''),
        metadata: {
          commandId: msg.commandId, correlationId: msg.correlationId, causationId: msg.commandId, occurredAt,
          actor: { accountUuid: detail.principal?.accountUuid ?? null, via: msg.via },
        },
      });
    } catch (error) {
      this.log.warn(`could not record a login audit event: ${(error as Error).message}`);
    }
  }
}

/** Whose failures count together: the client's address the gateway relays, or `bus` for callers on NATS. */
const sourceOf = (msg: BusMessage): string => (msg.via === 'rest' && msg.clientAddress ? `ip:${msg.clientAddress}` : 'bus');

export const loginStreamKey = (kind: LoginKind, name: string): string =>
  createHash('sha256').update(`${kind}:${name}`).digest('hex').slice(0, 32);
