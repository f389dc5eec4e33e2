import {
  APIAddPreconfigurationTemplateMsg, APIChangePreconfigurationTemplateStateMsg, APIDeletePreconfigurationTemplateMsg,
  APIQueryPreconfigurationTemplateMsg, APIUpdatePreconfigurationTemplateMsg, PRECONFIGURATION_MAX_BODY_BYTES,
  PreconfigurationTemplateInventoryDescriptor,
} from '../baremetal/templates';
import type { ApiEntry } from './types';

/** Baremetal preconfiguration templates (zstack-wire.md §5). Add and Update carry up to 16 MiB of content. */
export const BAREMETAL_APIS = [
  {
    name: 'AddPreconfigurationTemplate', context: 'baremetal', method: 'POST', paths: ['/baremetal/preconfigurations'],
    bodyKey: 'params', kind: 'async', auth: 'session', request: APIAddPreconfigurationTemplateMsg,
    result: PreconfigurationTemplateInventoryDescriptor, maxBodyBytes: PRECONFIGURATION_MAX_BODY_BYTES,
  },
  {
    name: 'UpdatePreconfigurationTemplate', context: 'baremetal', method: 'PUT', paths: ['/baremetal/preconfigurations/{uuid}/actions'],
    bodyKey: 'updatePreconfigurationTemplate', kind: 'async', auth: 'session', request: APIUpdatePreconfigurationTemplateMsg,
    result: PreconfigurationTemplateInventoryDescriptor, maxBodyBytes: PRECONFIGURATION_MAX_BODY_BYTES,
  },
  {
    name: 'ChangePreconfigurationTemplateState', context: 'baremetal', method: 'PUT', paths: ['/baremetal/preconfigurations/{uuid}/actions'],
    bodyKey: 'changePreconfigurationTemplateState', kind: 'async', auth: 'session', request: APIChangePreconfigurationTemplateStateMsg,
    result: PreconfigurationTemplateInventoryDescriptor,
  },
  {
    name: 'DeletePreconfigurationTemplate', context: 'baremetal', method: 'DELETE', paths: ['/baremetal/preconfigurations/{uuid}'],
    kind: 'async', auth: 'session', request: APIDeletePreconfigurationTemplateMsg,
  },
  {
    name: 'QueryPreconfigurationTemplate', context: 'baremetal', method: 'GET',
    paths: ['/baremetal/preconfigurations', '/baremetal/preconfigurations/{uuid}'],
    kind: 'sync', auth: 'session', query: true, request: APIQueryPreconfigurationTemplateMsg,
    result: PreconfigurationTemplateInventoryDescriptor,
  },
] as const satisfies readonly ApiEntry[];
