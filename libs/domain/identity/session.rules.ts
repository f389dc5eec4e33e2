import type { SessionInventory } from '@cp/contracts';

/** A stored session: what SessionInventory shows, timestamps ISO-8601. */
export type SessionRecord = Omit<SessionInventory, 'noSessionEvaluation'>;

export const isExpired = (s: SessionRecord, nowMs: number) => Date.parse(s.expiredDate) <= nowMs;

export function newSession(uuid: string, accountUuid: string, nowMs: number, timeoutSec: number): SessionRecord {
  return {
    uuid, accountUuid, userUuid: accountUuid,
    expiredDate: new Date(nowMs + timeoutSec * 1000).toISOString(),
    createDate: new Date(nowMs).toISOString(),
  };
}

/**
 * Sliding expiry (ZStack renews on every authenticated call). Writing the new expiry on every call
 * would cost a KV write per request, so it is written only once it moves by more than `slackSec`
 * (1% of the timeout, at least 1 s): a session can end at most that much earlier than ZStack's.
 * A session renewed for longer (RenewSession) is never shortened.
 */
export function slide(s: SessionRecord, nowMs: number, timeoutSec: number): SessionRecord | null {
  const target = nowMs + timeoutSec * 1000;
  const slackMs = Math.max(1000, timeoutSec * 10);
  if (target - Date.parse(s.expiredDate) <= slackMs) return null;
  return { ...s, expiredDate: new Date(target).toISOString() };
}

export const toInventory = (s: SessionRecord): SessionInventory => ({ ...s, noSessionEvaluation: false });
