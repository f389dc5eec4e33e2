import { RESOURCE_UUID } from '../bus';
import { invalidArgument } from '../errors';
import type { InventoryDescriptor } from '../inventory';
import { ApiParam } from '../validation';
import { ApiMessage } from '../api-message';

/**
 * ZStack's IAM2 virtual IDs (org.zstack.iam2): users that log in by name and password and act within
 * the account that owns them. Their inventories, request DTOs, events and stream ids.
 */

// --- Inventories ----------------------------------------------------------------------------------

export const IAM2_VIRTUAL_ID_STATES = ['Enabled', 'Disabled', 'Staled'] as const;
export type IAM2VirtualIDState = (typeof IAM2_VIRTUAL_ID_STATES)[number];
/** The type of a virtual ID created here, and ChangeIAM2VirtualIDType's only valid value (as ZStack's). */
export const IAM2_VIRTUAL_ID_TYPE = 'ZStack';
export const IAM2_VIRTUAL_ID_TYPES = [IAM2_VIRTUAL_ID_TYPE] as const;
/** `System` attributes are ZStack's own (none are created here); what users add is `Customized`. */
export const IAM2_ATTRIBUTE_TYPES = ['System', 'Customized'] as const;
export type IAM2AttributeType = (typeof IAM2_ATTRIBUTE_TYPES)[number];
export const IAM2_VIRTUAL_ID_STATE_EVENTS = ['enable', 'disable'] as const;
export type IAM2VirtualIDStateEvent = (typeof IAM2_VIRTUAL_ID_STATE_EVENTS)[number];
/** `userType` of a virtual ID's session. */
export const IAM2_VIRTUAL_ID_USER_TYPE = 'IAM2VirtualID';

/** ZStack's IAM2VirtualIDAttributeInventory, fields in ZStack's order. */
export interface IAM2VirtualIDAttributeInventory {
  uuid: string;
  name: string;
  value?: string;
  type: IAM2AttributeType;
  createDate: string;
  lastOpDate: string;
  virtualIDUuid: string;
}

/** ZStack's IAM2VirtualIDInventory, fields in ZStack's order; `attributes` always present (maybe empty). */
export interface IAM2VirtualIDInventory {
  uuid: string;
  name: string;
  description?: string;
  type: string;
  state: IAM2VirtualIDState;
  createDate: string;
  lastOpDate: string;
  attributes: IAM2VirtualIDAttributeInventory[];
}

export const IAM2VirtualIDAttributeInventoryDescriptor: InventoryDescriptor = {
  className: 'org.zstack.iam2.entity.IAM2VirtualIDAttributeInventory',
  fields: {
    uuid: 'string', name: 'string', value: 'string', type: 'string', createDate: 'date', lastOpDate: 'date', virtualIDUuid: 'string',
  },
};

export const IAM2VirtualIDInventoryDescriptor: InventoryDescriptor = {
  className: 'org.zstack.iam2.entity.IAM2VirtualIDInventory',
  fields: { uuid: 'string', name: 'string', description: 'string', type: 'string', state: 'string', createDate: 'date', lastOpDate: 'date' },
  nested: { attributes: IAM2VirtualIDAttributeInventoryDescriptor },
};

// --- Request DTOs ---------------------------------------------------------------------------------

export class APICreateIAM2VirtualIDMsg extends ApiMessage {
  @ApiParam({ required: true, maxLength: 255 }) name!: string;
  @ApiParam({ required: true, maxLength: 2048, noTrim: true }) password!: string;
  @ApiParam({ maxLength: 2048 }) description?: string;
  /** `[{name, value}]`: checked element by element by `attributeInfosOf`. */
  @ApiParam({ type: 'list' }) attributes?: unknown[];
  @ApiParam() projectUuid?: string;
  @ApiParam() organizationUuid?: string;
  @ApiParam({ type: 'boolean' }) withoutDefaultRole?: boolean;
  @ApiParam({ validRegex: RESOURCE_UUID }) resourceUuid?: string;
  @ApiParam({ type: 'list' }) tagUuids?: string[];
  @ApiParam({ type: 'list' }) systemTags?: string[];
  @ApiParam({ type: 'list' }) userTags?: string[];
}

export class APIUpdateIAM2VirtualIDMsg extends ApiMessage {
  @ApiParam({ required: true }) uuid!: string;
  @ApiParam({ maxLength: 255 }) name?: string;
  @ApiParam({ maxLength: 2048 }) description?: string;
  @ApiParam({ maxLength: 2048, noTrim: true }) password?: string;
  @ApiParam({ maxLength: 2048, noTrim: true }) oldPassword?: string;
  @ApiParam({ type: 'list' }) systemTags?: string[];
  @ApiParam({ type: 'list' }) userTags?: string[];
}

export class APIChangeIAM2VirtualIDStateMsg extends ApiMessage {
  @ApiParam({ required: true }) uuid!: string;
  @ApiParam({ required: true, validValues: IAM2_VIRTUAL_ID_STATE_EVENTS }) stateEvent!: string;
  @ApiParam({ type: 'list' }) systemTags?: string[];
  @ApiParam({ type: 'list' }) userTags?: string[];
}

export class APIChangeIAM2VirtualIDTypeMsg extends ApiMessage {
  @ApiParam({ required: true }) uuid!: string;
  @ApiParam({ required: true, validValues: IAM2_VIRTUAL_ID_TYPES }) type!: string;
  @ApiParam({ type: 'list' }) systemTags?: string[];
  @ApiParam({ type: 'list' }) userTags?: string[];
}

export class APIDeleteIAM2VirtualIDMsg extends ApiMessage {
  @ApiParam({ required: true }) uuid!: string;
  @ApiParam({ validValues: ['Permissive', 'Enforcing'] }) deleteMode?: string;
}

export class APIAddAttributesToIAM2VirtualIDMsg extends ApiMessage {
  @ApiParam({ required: true }) uuid!: string;
  /** `[{name, value}]`: checked element by element by `attributeInfosOf`. */
  @ApiParam({ type: 'list', required: true, nonEmpty: true }) attributes!: unknown[];
  @ApiParam({ type: 'list' }) systemTags?: string[];
  @ApiParam({ type: 'list' }) userTags?: string[];
}

export class APIRemoveAttributesFromIAM2VirtualIDMsg extends ApiMessage {
  @ApiParam({ required: true }) uuid!: string;
  @ApiParam({ type: 'list', required: true, nonEmpty: true }) attributeUuids!: string[];
  @ApiParam({ type: 'list' }) systemTags?: string[];
  @ApiParam({ type: 'list' }) userTags?: string[];
}

export class APIUpdateIAM2VirtualIDAttributeMsg extends ApiMessage {
  /** The attribute's uuid. */
  @ApiParam({ required: true }) uuid!: string;
  @ApiParam({ required: true, maxLength: 2048 }) value!: string;
  @ApiParam({ type: 'list' }) systemTags?: string[];
  @ApiParam({ type: 'list' }) userTags?: string[];
}

export class APIQueryIAM2VirtualIDMsg extends ApiMessage {
  @ApiParam({ type: 'map', required: true }) query!: Record<string, unknown>;
}

export class APIQueryIAM2VirtualIDAttributeMsg extends ApiMessage {
  @ApiParam({ type: 'map', required: true }) query!: Record<string, unknown>;
}

export class APILoginIAM2VirtualIDMsg extends ApiMessage {
  @ApiParam({ required: true }) name!: string;
  @ApiParam({ required: true, noTrim: true }) password!: string;
  @ApiParam() captchaUuid?: string;
  @ApiParam() verifyCode?: string;
  @ApiParam({ type: 'map' }) clientInfo?: Record<string, unknown>;
}

/** One element of an `attributes` parameter (ZStack's AttributeInfo). */
export interface AttributeInfo {
  name: string;
  value?: string;
}

const describe = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/**
 * The elements of an `attributes` parameter, checked as ZStack checks the fields of its AttributeInfo
 * (no trimming inside a list): `name` a non-empty string of at most 255 characters, `value` absent
 * or a string of at most 2048. Throws SYS.1007 naming the element, e.g. `attributes[1].name`.
 */
export function attributeInfosOf(list: readonly unknown[], message: string): AttributeInfo[] {
  return list.map((item, i) => {
    const at = (f: string) => `field[attributes[${i}]${f}] of message[${message}]`;
    if (item === null || item === undefined) throw invalidArgument('field[attributes] cannot contain a NULL element');
    if (typeof item !== 'object' || Array.isArray(item)) throw invalidArgument(`${at('')} must be a map of name and value, but ${describe(item)} found`);
    const { name, value } = item as Record<string, unknown>;
    if (name === undefined || name === null) throw invalidArgument(`${at('.name')} is mandatory, can not be null`);
    if (typeof name !== 'string') throw invalidArgument(`${at('.name')} must be a string, but ${describe(name)} found`);
    if (name === '') throw invalidArgument(`field[attributes[${i}].name] cannot be an empty string`);
    if (name.length > 255) throw invalidArgument(`${at('.name')} exceeds max length of string. expected was <= 255, actual was ${name.length}`);
    if (value === undefined || value === null) return { name };
    if (typeof value !== 'string') throw invalidArgument(`${at('.value')} must be a string, but ${describe(value)} found`);
    if (value.length > 2048) throw invalidArgument(`${at('.value')} exceeds max length of string. expected was <= 2048, actual was ${value.length}`);
    return { name, value };
  });
}

// --- Events ---------------------------------------------------------------------------------------

/** An attribute as events record it (its virtual ID and dates come from the event). */
export interface IAM2AttributeRecord {
  uuid: string;
  name: string;
  value?: string;
  type: IAM2AttributeType;
}

/**
 * Virtual ID events as stored. The password appears only as a slow hash (`$scrypt$...`); the owner
 * (`accountUuid`) is the account of the caller that created the virtual ID. Timestamps ISO-8601 UTC.
 */
export type IAM2VirtualIDEvent =
  | {
      type: 'IAM2VirtualIDCreated';
      data: {
        uuid: string; name: string; description?: string; type: string; state: IAM2VirtualIDState;
        passwordHash: string; accountUuid: string; attributes: IAM2AttributeRecord[]; createDate: string;
      };
    }
  | { type: 'IAM2VirtualIDUpdated'; data: { uuid: string; name?: string; description?: string; lastOpDate: string } }
  | { type: 'IAM2VirtualIDPasswordChanged'; data: { uuid: string; passwordHash: string; lastOpDate: string } }
  | { type: 'IAM2VirtualIDStateChanged'; data: { uuid: string; state: IAM2VirtualIDState; lastOpDate: string } }
  | { type: 'IAM2VirtualIDTypeChanged'; data: { uuid: string; type: string; lastOpDate: string } }
  | { type: 'IAM2VirtualIDDeleted'; data: { uuid: string; deletedAt: string } }
  | { type: 'IAM2VirtualIDAttributesAdded'; data: { uuid: string; attributes: IAM2AttributeRecord[]; createDate: string } }
  | { type: 'IAM2VirtualIDAttributesRemoved'; data: { uuid: string; attributeUuids: string[]; removedAt: string } }
  | { type: 'IAM2VirtualIDAttributeUpdated'; data: { uuid: string; attributeUuid: string; value: string; lastOpDate: string } };

export type IAM2VirtualIDEventType = IAM2VirtualIDEvent['type'];
export const IAM2_VIRTUAL_ID_STREAM_CATEGORY = 'iam2vid';
export const iam2VirtualIdStreamId = (uuid: string) => `${IAM2_VIRTUAL_ID_STREAM_CATEGORY}-${uuid}`;
