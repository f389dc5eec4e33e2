import { Inject, Injectable, Logger } from '@nestjs/common';
import { IAM2_VIRTUAL_ID_USER_TYPE, invalidSession, type BusAuth } from '@cp/contracts';
import { noteCaller, type CallerAuthenticator } from '@cp/bus';
import { isExpired, isSignedRequest, slide, verifySignedRequest, type AccessKeyRecord, type Auth, type Caller } from '@cp/domain/identity';
import { AccountReadModel, AccessKeyReadModel, IAM2VirtualIDReadModel } from '@cp/read-models/identity';
import { AccessKeySecrets } from '../access-keys/access-key-secrets';
import { IDENTITY_CONFIG, type IdentityConfig } from '../config';
import { SessionStore } from './session.store';

/**
 * Resolves the caller of a bus request from its session, renewing the session on the way
 * (ZStack's AuthorizationManager.evaluateSession), or from a request signed with an access key
 * (ZStack's AccessKeyManager.doAuth; the caller is then the key's account). The outcome is handed to
 * the domain, which rejects an invalid session in ZStack's order (after resource checks).
 */
@Injectable()
export class Authenticator implements CallerAuthenticator {
  private readonly log = new Logger('Authenticator');

  constructor(
    private readonly sessions: SessionStore,
    private readonly accounts: AccountReadModel,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
    private readonly virtualIds: IAM2VirtualIDReadModel,
    private readonly accessKeys: AccessKeyReadModel,
    private readonly accessKeySecrets: AccessKeySecrets,
  ) {}

  /**
   * The caller is also noted beside the request, so its job records who owns it. (A CallerAuthenticator:
   * the request's context is for authenticators that ask elsewhere; this one answers in process.)
   */
  async authenticate(auth: BusAuth): Promise<Auth> {
    const nowMs = Date.now();
    const resolved = await this.resolve(auth, nowMs);
    if (resolved.ok) noteCaller(auth, resolved.caller);
    return resolved;
  }

  private async resolve(auth: BusAuth, nowMs: number): Promise<Auth> {
    // A request signed with an access key (ZStack's AccessKeyManager.doAuth) instead of a session.
    if (auth.accessKey !== undefined) return this.authenticateSigned(auth.accessKey, nowMs);
    const uuid = auth.sessionUuid?.trim();
    if (!uuid) return { ok: false, error: invalidSession('session uuid is null') };
    const session = await this.sessions.get(uuid);
    if (!session || isExpired(session, nowMs) || !this.accounts.get(session.accountUuid)) {
      return { ok: false, error: invalidSession('Session expired') };
    }
    // A virtual ID's session lasts only while the virtual ID exists and is enabled (its sessions are
    // also ended when it is deleted or disabled; this covers a session that escaped that sweep).
    if (session.userType === IAM2_VIRTUAL_ID_USER_TYPE && !this.virtualIds.isEnabled(session.userUuid)) {
      return { ok: false, error: invalidSession('Session expired') };
    }
    const renewed = slide(session, nowMs, this.config.sessionTimeoutSec);
    if (renewed) await this.sessions.put(renewed);
    return { ok: true, caller: { accountUuid: session.accountUuid, userUuid: session.userUuid, userType: session.userType as Caller['userType'] } };
  }

  private authenticateSigned(request: unknown, nowMs: number): Auth {
    if (!isSignedRequest(request)) return { ok: false, error: invalidSession('wrong accessKey signature') };
    return verifySignedRequest(request, {
      key: this.accessKeys.byId(request.accessKeyId),
      secretOf: (key: AccessKeyRecord) => {
        try {
          return this.accessKeySecrets.open(key.inventory.uuid, key.secret);
        } catch (error) {
          // A CryptoError names key ids only: e.g. the master key that sealed it is not configured.
          this.log.error(`the secret of access key ${key.inventory.uuid} cannot be opened: ${(error as Error).message}`);
          return null;
        }
      },
      accountState: (accountUuid) => this.accounts.get(accountUuid)?.inventory.state,
      nowMs,
    });
  }
}
