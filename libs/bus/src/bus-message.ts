import type { BusAuth } from '@cp/contracts';

/** What a service handler receives for one bus request, already decoded and checked. */
export interface BusMessage<P = Record<string, unknown>> {
  subject: string;
  /** The API name: the last part of the subject (`CreateAccount`). */
  api: string;
  commandId: string;
  correlationId: string;
  auth: BusAuth;
  payload: P;
  minPosition: bigint | null;
  via: 'rest' | 'nats' | 'system';
  /**
   * This attempt took over a job whose earlier attempt may have appended before it died: the command
   * cycle reads the aggregate from the store and finds that attempt's commit instead of deciding again.
   */
  recovering: boolean;
}

/** What a handler returns: the result map and, for commands, the log position of its append. */
export interface HandlerOutcome {
  result: unknown;
  position?: bigint | null;
  /** The session the command ran for, so a gateway serving the poll can track read-your-writes. */
  sessionUuid?: string;
}
