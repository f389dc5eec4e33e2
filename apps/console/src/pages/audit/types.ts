/** The Audit API's replies as the console reads them (apps/audit-svc/src/audit-log.ts). */

export interface AuditActor {
  accountUuid: string | null;
  via?: string;
}

/** One event of QueryAuditEvents (its `data` already redacted by the API). */
export interface AuditEvent {
  position: string;
  streamId: string;
  resourceType: string;
  resourceUuid: string;
  type: string;
  schemaVersion?: number;
  occurredAt: string;
  actor: AuditActor | null;
  commandId?: string;
  correlationId?: string;
  data?: Record<string, unknown>;
}

/** QueryAuditEvents: a page, and where the next starts (`after`), null at the end of the log. */
export interface AuditEventsPage {
  events: AuditEvent[];
  next: string | null;
}

/** One point of GetResourceHistory: an event and the inventory after it (none once deleted). */
export interface HistoryPoint {
  position: string;
  type: string;
  occurredAt: string;
  actor: AuditActor | null;
  inventory?: Record<string, unknown>;
}

export interface ResourceHistory {
  history: HistoryPoint[];
}

/** GetResourceAsOf: the inventory as it stood, and the position of the last event folded in. */
export interface ResourceAsOf {
  inventory: Record<string, unknown>;
  position: string;
}
