import {
  APIAddPreconfigurationTemplateMsg, APIChangePreconfigurationTemplateStateMsg, APIDeletePreconfigurationTemplateMsg,
  APIQueryPreconfigurationTemplateMsg, APIUpdatePreconfigurationTemplateMsg, PRECONFIGURATION_MAX_BODY_BYTES,
  PreconfigurationTemplateInventoryDescriptor, RenderPreconfigurationTemplateMsg,
} from '../baremetal/templates';
import type { ApiEntry } from './types';

/** Baremetal preconfiguration templates (zstack-wire.md §5). Add and Update carry up to 16 MiB of content. */
export const BAREMETAL_APIS = [
  {
    name: 'AddPreconfigurationTemplate', context: 'baremetal', method: 'POST', paths: ['/baremetal/preconfigurations'],
    bodyKey: 'params', wire: 'zstack', kind: 'command', access: 'session', request: APIAddPreconfigurationTemplateMsg,
    result: PreconfigurationTemplateInventoryDescriptor, maxBodyBytes: PRECONFIGURATION_MAX_BODY_BYTES,
  },
  {
    name: 'UpdatePreconfigurationTemplate', context: 'baremetal', method: 'PUT', paths: ['/baremetal/preconfigurations/{uuid}/actions'],
    bodyKey: 'updatePreconfigurationTemplate', wire: 'zstack', kind: 'command', access: 'session', request: APIUpdatePreconfigurationTemplateMsg,
    result: PreconfigurationTemplateInventoryDescriptor, maxBodyBytes: PRECONFIGURATION_MAX_BODY_BYTES,
  },
  {
    name: 'ChangePreconfigurationTemplateState', context: 'baremetal', method: 'PUT', paths: ['/baremetal/preconfigurations/{uuid}/actions'],
    bodyKey: 'changePreconfigurationTemplateState', wire: 'zstack', kind: 'command', access: 'session', request: APIChangePreconfigurationTemplateStateMsg,
    result: PreconfigurationTemplateInventoryDescriptor,
  },
  {
    name: 'DeletePreconfigurationTemplate', context: 'baremetal', method: 'DELETE', paths: ['/baremetal/preconfigurations/{uuid}'],
    wire: 'zstack', kind: 'command', access: 'session', request: APIDeletePreconfigurationTemplateMsg,
  },
  {
    name: 'QueryPreconfigurationTemplate', context: 'baremetal', method: 'GET',
    paths: ['/baremetal/preconfigurations', '/baremetal/preconfigurations/{uuid}'],
    wire: 'zstack', kind: 'query', access: 'session', query: true, request: APIQueryPreconfigurationTemplateMsg,
    result: PreconfigurationTemplateInventoryDescriptor,
  },
  // Ours (control-plane-api.md): the preview of a template with param values filled in.
  {
    name: 'RenderPreconfigurationTemplate', context: 'baremetal', kind: 'query', access: 'session', request: RenderPreconfigurationTemplateMsg,
    wire: 'rest', method: 'POST', path: '/baremetal/preconfigurations/{uuid}/render', bodyKey: 'params', maxBodyBytes: 32 * 1024 * 1024,
  },
] as const satisfies readonly ApiEntry[];
