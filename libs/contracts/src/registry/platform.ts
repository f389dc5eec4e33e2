import {
  CreatePlatformMsg, DeletePlatformMsg, GetPlatformHealthHistoryMsg, GetPlatformMsg, ListPlatformsMsg, RotatePlatformKeysMsg,
  TestConnectionDetailedMsg, TestPlatformConnectionMsg, UpdatePlatformMsg,
} from '../platform/requests';
import type { ApiEntry } from './types';

/** Negotiation and connection tests reach other clouds: bounded by the service (10 s by default), waited for longer. */
const REMOTE_TIMEOUT_MS = 60_000;

/** The Platform API under `/api/v1/platforms` (control-plane-api.md): the built-in admin's. */
export const PLATFORM_APIS = [
  {
    name: 'CreatePlatform', context: 'platform', kind: 'command', access: 'session', request: CreatePlatformMsg,
    wire: 'rest', method: 'POST', path: '/platforms', bodyKey: 'body', timeoutMs: REMOTE_TIMEOUT_MS,
  },
  {
    name: 'ListPlatforms', context: 'platform', kind: 'query', access: 'session', request: ListPlatformsMsg,
    wire: 'rest', method: 'GET', path: '/platforms',
  },
  {
    name: 'TestConnectionDetailed', context: 'platform', kind: 'query', access: 'session', request: TestConnectionDetailedMsg,
    wire: 'rest', method: 'POST', path: '/platforms/test-connection', bodyKey: 'body', timeoutMs: REMOTE_TIMEOUT_MS,
  },
  {
    name: 'RotatePlatformKeys', context: 'platform', kind: 'command', access: 'session', request: RotatePlatformKeysMsg,
    wire: 'rest', method: 'POST', path: '/platforms/rotate-keys', timeoutMs: 600_000,
  },
  {
    name: 'GetPlatform', context: 'platform', kind: 'query', access: 'session', request: GetPlatformMsg,
    wire: 'rest', method: 'GET', path: '/platforms/{uuid}',
  },
  {
    name: 'UpdatePlatform', context: 'platform', kind: 'command', access: 'session', request: UpdatePlatformMsg,
    wire: 'rest', method: 'PATCH', path: '/platforms/{uuid}', bodyKey: 'body', timeoutMs: REMOTE_TIMEOUT_MS,
  },
  {
    name: 'DeletePlatform', context: 'platform', kind: 'command', access: 'session', request: DeletePlatformMsg,
    wire: 'rest', method: 'DELETE', path: '/platforms/{uuid}',
  },
  {
    name: 'TestPlatformConnection', context: 'platform', kind: 'command', access: 'session', request: TestPlatformConnectionMsg,
    wire: 'rest', method: 'POST', path: '/platforms/{uuid}/test-connection', timeoutMs: REMOTE_TIMEOUT_MS,
  },
  {
    name: 'GetPlatformHealthHistory', context: 'platform', kind: 'query', access: 'session', request: GetPlatformHealthHistoryMsg,
    wire: 'rest', method: 'GET', path: '/platforms/{uuid}/health-history',
  },
] as const satisfies readonly ApiEntry[];
