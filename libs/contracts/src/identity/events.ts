import type { AccountState, AccountType } from './inventories';

/**
 * Identity events as stored. Passwords appear only as slow hashes (`$scrypt$...`), never as what
 * the client sent. Timestamps are ISO-8601 UTC.
 */
export type AccountEvent =
  | {
      type: 'AccountCreated';
      data: {
        uuid: string; name: string; description?: string; type: AccountType; state: AccountState;
        passwordHash: string; createDate: string;
      };
    }
  | { type: 'AccountUpdated'; data: { uuid: string; name?: string; description?: string; state?: AccountState; lastOpDate: string } }
  | { type: 'AccountPasswordChanged'; data: { uuid: string; passwordHash: string; lastOpDate: string } }
  | { type: 'AccountDeleted'; data: { uuid: string; deletedAt: string } };

export type AccountEventType = AccountEvent['type'];
export const ACCOUNT_STREAM_CATEGORY = 'account';
export const accountStreamId = (uuid: string) => `${ACCOUNT_STREAM_CATEGORY}-${uuid}`;
