import { accountStreamId, type AccountEvent } from '@cp/contracts';
import { AggregateCommands } from '@cp/bus';
import { evolveAccount, type AccountState } from '@cp/domain/identity';
import { AccountReadModel } from '@cp/read-models/identity';
import { ACCOUNT_PROJECTION } from '../tokens';

/** The command cycle for accounts: `account-<uuid>` streams, the account read model. */
export class AccountCommands extends AggregateCommands<AccountState, AccountEvent>({
  streamId: accountStreamId, evolve: evolveAccount, model: AccountReadModel, projection: ACCOUNT_PROJECTION,
}) {}
