import { createHash } from 'node:crypto';
import type { EventMetadata } from '@cp/event-store';
import type { BusMessage } from './bus-message';

/** Event metadata for a command received on the bus: who, through what, for which command. */
export function eventMetadata(msg: BusMessage, actorAccountUuid: string | null, now = new Date()): EventMetadata {
  return {
    commandId: msg.commandId,
    correlationId: msg.correlationId,
    causationId: msg.commandId,
    actor: { accountUuid: actorAccountUuid, via: msg.via },
    occurredAt: now.toISOString(),
  };
}

/**
 * A resource uuid derived from the command id, so that a retried command (same id) targets the
 * same stream and its commit is recognised as a duplicate. Same shape as ZStack's: 32 hex, v4 bits.
 */
export function uuidFromCommand(commandId: string, kind: string): string {
  const h = createHash('sha256').update(`${kind}:${commandId}`).digest('hex').slice(0, 32).split('');
  h[12] = '4';
  h[16] = ['8', '9', 'a', 'b'][parseInt(h[16], 16) % 4];
  return h.join('');
}
