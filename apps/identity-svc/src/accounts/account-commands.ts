import { Inject, Injectable } from '@nestjs/common';
import { accountStreamId, operationError, type AccountEvent } from '@cp/contracts';
import { eventMetadata, type BusMessage } from '@cp/bus';
import { ConcurrencyExhaustedError, executeCommand, Projection, type EventStore } from '@cp/event-store';
import { IDENTITY_CONFIG, type IdentityConfig } from '../config';
import { EVENT_STORE, ACCOUNT_PROJECTION } from '../tokens';
import { evolve, type AccountState } from './account.decider';
import { AccountReadModel } from './account.read-model';

/**
 * The command cycle for accounts: start from the read model's state, decide, append with the
 * expected version (retrying from the store on a conflict), then wait until the read model has
 * applied the append, so that this replica's next query and uniqueness check see it.
 */
@Injectable()
export class AccountCommands {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(ACCOUNT_PROJECTION) private readonly projection: Projection,
    private readonly accounts: AccountReadModel,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
  ) {}

  async run(
    msg: BusMessage, uuid: string, actor: string | null,
    decide: (state: AccountState | null) => AccountEvent[] | Promise<AccountEvent[]>,
  ): Promise<{ state: AccountState | null; position: bigint | null }> {
    try {
      const done = await executeCommand<AccountState, AccountEvent>({
        store: this.store,
        streamId: accountStreamId(uuid),
        evolve,
        cached: () => this.accounts.loaded(uuid) ?? { state: null, version: null },
        decide,
        commitId: msg.commandId,
        metadata: eventMetadata(msg, actor),
      });
      if (done.position !== null) await this.projection.waitFor(done.position, this.config.readYourWritesTimeoutMs);
      return done;
    } catch (error) {
      if (error instanceof ConcurrencyExhaustedError) throw operationError(error.message);
      throw error;
    }
  }
}
