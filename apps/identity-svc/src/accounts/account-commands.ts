import { accountStreamId, type AccountEvent } from '@cp/contracts';
import { AggregateCommands, type NameClaim } from '@cp/bus';
import { evolveAccount, type AccountState } from '@cp/domain/identity';
import { AccountReadModel } from '@cp/read-models/identity';
import { ACCOUNT_PROJECTION } from '../tokens';

/** The command cycle for accounts: `account-<uuid>` streams, the account read model. */
export class AccountCommands extends AggregateCommands<AccountState, AccountEvent>({
  streamId: accountStreamId, evolve: evolveAccount, model: AccountReadModel, projection: ACCOUNT_PROJECTION,
}) {}

/** An account name, unique across identity-svc's replicas (UniqueNames). */
export const accountName = (accounts: AccountReadModel, name: string, uuid: string): NameClaim => ({
  kind: 'account', scope: '', name, uuid, exists: (holder) => accounts.uuidByName(name) === holder,
});
