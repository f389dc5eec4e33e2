import { GetResourceAsOfMsg, GetResourceHistoryMsg, QueryAuditEventsMsg } from '../audit/requests';
import type { ApiEntry } from './types';

/** The Audit API under `/api/v1/audit` (control-plane-api.md): the log as the only truth, filtered to what the caller owns. */
export const AUDIT_APIS = [
  {
    name: 'QueryAuditEvents', context: 'audit', kind: 'query', access: 'session', request: QueryAuditEventsMsg,
    wire: 'rest', method: 'GET', path: '/audit/events', ndjson: true,
  },
  {
    name: 'GetResourceHistory', context: 'audit', kind: 'query', access: 'session', request: GetResourceHistoryMsg,
    wire: 'rest', method: 'GET', path: '/audit/resources/{uuid}/history',
  },
  {
    name: 'GetResourceAsOf', context: 'audit', kind: 'query', access: 'session', request: GetResourceAsOfMsg,
    wire: 'rest', method: 'GET', path: '/audit/resources/{uuid}',
  },
] as const satisfies readonly ApiEntry[];
