import { RESOURCE_UUID } from '../bus';
import type { InventoryDescriptor } from '../inventory';
import { ApiParam } from '../validation';
import { ApiMessage } from '../api-message';

/**
 * ZStack's baremetal preconfiguration templates (premium/baremetal, zstack-wire.md §5): kickstart,
 * preseed, AutoYaST and autoinstall files with `{{ PARAM }}` placeholders. Their inventory, request
 * DTOs, events and stream ids.
 */

export const PRECONFIGURATION_TEMPLATE_TYPES = ['kickstart', 'preseed', 'autoyast', 'autoinstall'] as const;
export type PreconfigurationTemplateType = (typeof PRECONFIGURATION_TEMPLATE_TYPES)[number];
export const PRECONFIGURATION_TEMPLATE_STATE_EVENTS = ['enable', 'disable'] as const;
export type PreconfigurationTemplateStateEvent = (typeof PRECONFIGURATION_TEMPLATE_STATE_EVENTS)[number];
export type PreconfigurationTemplateState = 'Enabled' | 'Disabled';
/** PreconfigurationConstant.contentMaxLength: a MySQL MEDIUMTEXT. */
export const PRECONFIGURATION_CONTENT_MAX_LENGTH = 16_777_215;
/**
 * The REST body limit of the routes that carry a template's content: the largest content in
 * characters, at up to two UTF-8 bytes each, plus room for the other fields and JSON escapes.
 */
export const PRECONFIGURATION_MAX_BODY_BYTES = 2 * PRECONFIGURATION_CONTENT_MAX_LENGTH + 1024 * 1024;

/** ZStack's PreconfigurationTemplateInventory, fields in ZStack's order. */
export interface PreconfigurationTemplateInventory {
  uuid: string;
  name: string;
  description?: string;
  distribution: string;
  type: PreconfigurationTemplateType;
  content: string;
  /** Lowercase hex MD5 of the content's UTF-8 bytes. */
  md5sum: string;
  isPredefined: boolean;
  state: PreconfigurationTemplateState;
  createDate: string;
  lastOpDate: string;
  /** The distinct `{{ custom }}` params of the content, in order of first appearance. */
  customParams: string[];
}

export const PreconfigurationTemplateInventoryDescriptor: InventoryDescriptor = {
  className: 'org.zstack.header.baremetal.preconfiguration.PreconfigurationTemplateInventory',
  fields: {
    uuid: 'string', name: 'string', description: 'string', distribution: 'string', type: 'string', content: 'string',
    md5sum: 'string', isPredefined: 'boolean', state: 'string', createDate: 'date', lastOpDate: 'date',
  },
};

// --- Request DTOs ---------------------------------------------------------------------------------

/** Content is kept byte for byte (not trimmed): its md5sum is the client's, and installers care about the last newline. */
export class APIAddPreconfigurationTemplateMsg extends ApiMessage {
  @ApiParam({ required: true, maxLength: 255 }) name!: string;
  @ApiParam({ maxLength: 2048 }) description?: string;
  @ApiParam({ required: true, maxLength: 64 }) distribution!: string;
  @ApiParam({ required: true, validValues: PRECONFIGURATION_TEMPLATE_TYPES }) type!: string;
  @ApiParam({ required: true, maxLength: PRECONFIGURATION_CONTENT_MAX_LENGTH, noTrim: true }) content!: string;
  @ApiParam({ validRegex: RESOURCE_UUID }) resourceUuid?: string;
  @ApiParam({ type: 'list' }) tagUuids?: string[];
  @ApiParam({ type: 'list' }) systemTags?: string[];
  @ApiParam({ type: 'list' }) userTags?: string[];
}

export class APIUpdatePreconfigurationTemplateMsg extends ApiMessage {
  @ApiParam({ required: true }) uuid!: string;
  @ApiParam({ maxLength: 255 }) name?: string;
  @ApiParam({ maxLength: 2048 }) description?: string;
  @ApiParam({ maxLength: 64 }) distribution?: string;
  @ApiParam({ validValues: PRECONFIGURATION_TEMPLATE_TYPES }) type?: string;
  @ApiParam({ maxLength: PRECONFIGURATION_CONTENT_MAX_LENGTH, noTrim: true }) content?: string;
  @ApiParam({ type: 'list' }) systemTags?: string[];
  @ApiParam({ type: 'list' }) userTags?: string[];
}

export class APIChangePreconfigurationTemplateStateMsg extends ApiMessage {
  @ApiParam({ required: true }) uuid!: string;
  @ApiParam({ required: true, validValues: PRECONFIGURATION_TEMPLATE_STATE_EVENTS }) stateEvent!: string;
  @ApiParam({ type: 'list' }) systemTags?: string[];
  @ApiParam({ type: 'list' }) userTags?: string[];
}

export class APIDeletePreconfigurationTemplateMsg extends ApiMessage {
  @ApiParam({ required: true }) uuid!: string;
  @ApiParam({ validValues: ['Permissive', 'Enforcing'] }) deleteMode?: string;
  @ApiParam({ type: 'list' }) systemTags?: string[];
  @ApiParam({ type: 'list' }) userTags?: string[];
}

export class APIQueryPreconfigurationTemplateMsg extends ApiMessage {
  @ApiParam({ type: 'map', required: true }) query!: Record<string, unknown>;
}

/** `POST /api/v1/baremetal/preconfigurations/{uuid}/render` (ours): param values in, rendered text out. */
export class RenderPreconfigurationTemplateMsg extends ApiMessage {
  @ApiParam({ required: true }) uuid!: string;
  /** `{name: value}`, every value a string. */
  @ApiParam({ type: 'map', required: true }) params!: Record<string, unknown>;
}

export interface RenderedPreconfigurationTemplate {
  uuid: string;
  rendered: string;
  /** The params of the content that `params` gave no value for, in order of first appearance. */
  missingParams: string[];
}

// --- Events ---------------------------------------------------------------------------------------

export interface PreconfigurationTemplateAdded {
  type: 'PreconfigurationTemplateAdded';
  data: {
    uuid: string; name: string; description?: string; distribution: string; type: PreconfigurationTemplateType;
    content: string; md5sum: string; customParams: string[]; isPredefined: boolean; state: PreconfigurationTemplateState;
    ownerAccountUuid: string; createDate: string;
  };
}

/** Only the fields that changed; `content`, `md5sum` and `customParams` travel together. */
export interface PreconfigurationTemplateUpdated {
  type: 'PreconfigurationTemplateUpdated';
  data: {
    uuid: string; name?: string; description?: string; distribution?: string; type?: PreconfigurationTemplateType;
    content?: string; md5sum?: string; customParams?: string[]; lastOpDate: string;
  };
}

/** Schema version 2 (libs/contracts/src/event-versions.ts): `stateEvent` is what the operator asked for. */
export interface TemplateStateChanged {
  type: 'TemplateStateChanged';
  data: { uuid: string; state: PreconfigurationTemplateState; stateEvent: PreconfigurationTemplateStateEvent; lastOpDate: string };
}

export interface PreconfigurationTemplateDeleted {
  type: 'PreconfigurationTemplateDeleted';
  data: { uuid: string };
}

export type PreconfigurationTemplateEvent =
  | PreconfigurationTemplateAdded | PreconfigurationTemplateUpdated | TemplateStateChanged | PreconfigurationTemplateDeleted;

export const PRECONFIGURATION_TEMPLATE_STREAM_CATEGORY = 'preconfigtemplate';
export const preconfigurationTemplateStreamId = (uuid: string) => `${PRECONFIGURATION_TEMPLATE_STREAM_CATEGORY}-${uuid}`;
