import { Inject, Injectable } from '@nestjs/common';
import { accountStreamId, type AccountEvent } from '@cp/contracts';
import { Projection, type EventStore } from '@cp/event-store';
import { CommandRunner } from '@cp/bus';
import { IDENTITY_CONFIG, type IdentityConfig } from '../config';
import { EVENT_STORE, ACCOUNT_PROJECTION } from '../tokens';
import { evolveAccount as evolve, type AccountState } from '@cp/domain/identity';
import { AccountReadModel } from '@cp/read-models/identity';

/** The command cycle (CommandRunner) for accounts: `account-<uuid>` streams, the account read model. */
@Injectable()
export class AccountCommands extends CommandRunner<AccountState, AccountEvent> {
  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(ACCOUNT_PROJECTION) projection: Projection,
    accounts: AccountReadModel,
    @Inject(IDENTITY_CONFIG) config: IdentityConfig,
  ) {
    super(store, projection, { streamId: accountStreamId, evolve, loaded: (uuid) => accounts.loaded(uuid) }, config.readYourWritesTimeoutMs);
  }
}
