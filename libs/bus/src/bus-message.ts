export type { BusMessage } from '@cp/contracts';

/** What a handler returns: the result map and, for commands, the log position of its append. */
export interface HandlerOutcome {
  result: unknown;
  position?: bigint | null;
}
