import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ADMIN_ACCOUNT_NAME, ADMIN_ACCOUNT_UUID, ADMIN_INITIAL_PASSWORD_SHA512, accountStreamId } from '@cp/contracts';
import { Projection, WrongExpectedVersionError, type EventStore } from '@cp/event-store';
import { decideAccount } from '@cp/domain/identity';
import { PasswordHasher } from '../passwords/password-hasher';
import { EVENT_STORE } from '@cp/bus';
import { ACCOUNT_PROJECTION } from '../tokens';

/** A fixed commit id: every replica and every restart proposes the same commit, stored once. */
const ADMIN_COMMIT_ID = '00000000000000000000000000000001';

/**
 * The built-in admin of ZStack (uuid 36c27e8f..., password SHA-512("password")), created once, as an
 * event, on the first start. Appending with `noStream` makes a second start, or a second replica
 * starting at the same moment, a no-op.
 */
@Injectable()
export class AdminBootstrap implements OnApplicationBootstrap {
  private readonly log = new Logger('AdminBootstrap');

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(ACCOUNT_PROJECTION) private readonly projection: Projection,
    private readonly hasher: PasswordHasher,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const streamId = accountStreamId(ADMIN_ACCOUNT_UUID);
    const { version } = await this.store.readStream(streamId);
    if (version !== null) return;
    const now = new Date().toISOString();
    // Created as the service itself, acting as the admin (as the predefined templates are).
    const events = decideAccount({
      type: 'CreateAccount', data: { uuid: ADMIN_ACCOUNT_UUID, name: ADMIN_ACCOUNT_NAME, type: 'SystemAdmin', state: 'Enabled' },
      auth: { ok: true, caller: { accountUuid: ADMIN_ACCOUNT_UUID, userUuid: ADMIN_ACCOUNT_UUID } }, now,
      passwordHash: await this.hasher.hash(ADMIN_INITIAL_PASSWORD_SHA512),
    }, null);
    try {
      const result = await this.store.append(streamId, events, 'noStream', {
        commitId: ADMIN_COMMIT_ID,
        metadata: {
          commandId: ADMIN_COMMIT_ID, correlationId: ADMIN_COMMIT_ID, causationId: ADMIN_COMMIT_ID,
          actor: { accountUuid: null, via: 'system' }, occurredAt: now,
        },
      });
      await this.projection.waitFor(result.position, 30_000);
      this.log.log('created the built-in admin account (change its password after the first login)');
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
    }
  }
}
