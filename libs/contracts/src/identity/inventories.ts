import type { InventoryDescriptor } from '../inventory';

export const ADMIN_ACCOUNT_UUID = '36c27e8ff05c4780bf6d2fa65700f22e';
export const ADMIN_ACCOUNT_NAME = 'admin';
/** SHA-512 hex of "password": what ZStack clients send for the built-in admin on a new install. */
export const ADMIN_INITIAL_PASSWORD_SHA512 =
  'b109f3bbbc244eb82441917ed06d618b9008dd09b3befd1b5e07394c706a8bb980b1d7785e5976ec049b46df5f1326af5a2ea6d103fd07c95385ffab0cacbc86';

export const ACCOUNT_TYPES = ['SystemAdmin', 'Normal'] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];
export const ACCOUNT_STATES = ['Enabled', 'Disabled', 'Staled'] as const;
export type AccountState = (typeof ACCOUNT_STATES)[number];

/** ZStack's AccountInventory, fields in ZStack's order; timestamps ISO-8601 on the bus. */
export interface AccountInventory {
  uuid: string;
  name: string;
  description?: string;
  type: AccountType;
  state: AccountState;
  createDate: string;
  lastOpDate: string;
}

export const AccountInventoryDescriptor: InventoryDescriptor = {
  className: 'org.zstack.header.identity.AccountInventory',
  fields: { uuid: 'string', name: 'string', description: 'string', type: 'string', state: 'string', createDate: 'date', lastOpDate: 'date' },
};

export interface SessionInventory {
  uuid: string;
  accountUuid: string;
  userUuid: string;
  userType?: string;
  expiredDate: string;
  createDate: string;
  noSessionEvaluation: boolean;
}

export const SessionInventoryDescriptor: InventoryDescriptor = {
  className: 'org.zstack.header.identity.SessionInventory',
  fields: {
    uuid: 'string', accountUuid: 'string', userUuid: 'string', userType: 'string',
    expiredDate: 'date', createDate: 'date', noSessionEvaluation: 'boolean',
  },
};
