import { AUDIT_PAGE_DEFAULT, AUDIT_POSITION, type GetResourceAsOfMsg, type QueryAuditEventsMsg } from '@cp/contracts';

/**
 * The Audit API's checked parameters (the request classes in libs/contracts/src/audit/requests.ts
 * validate them before a handler runs) as the log reader takes them: times, log positions, numbers.
 */
export interface EventFilter {
  resourceUuid?: string;
  resourceType?: string;
  eventType?: string;
  accountUuid?: string;
  from?: Date;
  to?: Date;
  /** Exclusive log position. */
  after?: bigint;
  limit: number;
}

export type AsOf = { position: bigint } | { time: Date };

export function eventFilterOf(msg: QueryAuditEventsMsg): EventFilter {
  const filter: EventFilter = { limit: msg.limit === undefined ? AUDIT_PAGE_DEFAULT : Number(msg.limit) };
  if (msg.resourceUuid !== undefined) filter.resourceUuid = msg.resourceUuid;
  if (msg.resourceType !== undefined) filter.resourceType = msg.resourceType;
  if (msg.eventType !== undefined) filter.eventType = msg.eventType;
  if (msg.accountUuid !== undefined) filter.accountUuid = msg.accountUuid;
  if (msg.from !== undefined) filter.from = new Date(msg.from);
  if (msg.to !== undefined) filter.to = new Date(msg.to);
  if (msg.after !== undefined) filter.after = BigInt(msg.after);
  return filter;
}

/** `asOf`: a log position (inclusive) or an ISO-8601 time. */
export function asOfOf(msg: Pick<GetResourceAsOfMsg, 'asOf'>): AsOf {
  return AUDIT_POSITION.test(msg.asOf) ? { position: BigInt(msg.asOf) } : { time: new Date(msg.asOf) };
}
