/** The identity inventories as the ZStack queries return them. */
export interface Account {
  uuid: string;
  name: string;
  description?: string;
  type: 'SystemAdmin' | 'Normal';
  state: 'Enabled' | 'Disabled' | 'Staled';
  createDate: string;
  lastOpDate: string;
}

export interface VirtualIdAttribute {
  uuid: string;
  name: string;
  value?: string;
  type: 'System' | 'Customized';
  createDate: string;
  lastOpDate: string;
  virtualIDUuid: string;
}

export interface VirtualId {
  uuid: string;
  name: string;
  description?: string;
  type: string;
  state: 'Enabled' | 'Disabled' | 'Staled';
  createDate: string;
  lastOpDate: string;
  attributes: VirtualIdAttribute[];
}

export interface AccessKey {
  uuid: string;
  description?: string;
  accountUuid: string;
  userUuid: string;
  AccessKeyID: string;
  /** Only in CreateAccessKey's reply: shown once, never kept. */
  AccessKeySecret?: string;
  state: 'Enabled' | 'Disabled';
  type: string;
  createDate: string;
  lastOpDate: string;
}

export interface QueryReply<T> {
  inventories: T[];
  total?: number;
}

export const PAGE_SIZE = 20;
