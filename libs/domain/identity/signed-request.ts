import { timingSafeEqual } from 'node:crypto';
import {
  SIGNED_REQUEST_MAX_SKEW_MS, accessKeySignature, invalidSession, parseAccessKeyDate, type BusAccessKeyAuth,
} from '@cp/contracts';
import type { Auth } from './account.decider';
import type { AccessKeyRecord } from './access-key.decider';

export const WRONG_SIGNATURE = 'wrong accessKey signature';
export const KEY_DISABLED = 'access key is disabled';
export const ACCOUNT_DISABLED = 'the account of the access key is disabled';
export const TIME_SKEWED = 'requestTimeTooSkewed';

/** Only for an unknown AccessKeyID: the same HMAC work as for a known one, so timing tells nothing. */
const NO_SECRET = 'no access key has this secret';

export interface SignedRequestContext {
  /** The live key with this AccessKeyID. */
  key: AccessKeyRecord | undefined;
  /** Opens the key's sealed secret; null when it cannot be opened (logged by the caller). */
  secretOf: (key: AccessKeyRecord) => string | null;
  /** The state of the key's account (`Enabled`, ...), undefined when it is gone. */
  accountState: (accountUuid: string) => string | undefined;
  nowMs: number;
}

/** Well-formed fields only: a bus caller may send anything. */
export function isSignedRequest(v: unknown): v is BusAccessKeyAuth {
  if (v === null || typeof v !== 'object') return false;
  const a = v as Record<string, unknown>;
  return ['accessKeyId', 'signature', 'date', 'method', 'path'].every((k) => typeof a[k] === 'string' && (a[k] as string).length <= 4096);
}

/**
 * Verifies a request signed with an access key, as ZStack's AccessKeyManager.doAuth: the HMAC-SHA1
 * of `METHOD\nDATE\n/v1<path>` under the key's secret, compared in constant time. Every refusal is
 * ID.1001. An unknown key and a wrong signature answer alike; that a key is disabled is told only to
 * whoever signed with its secret. The Date is checked here too (the gateway checks it first and
 * answers 403), so that bus callers cannot replay an old signature either.
 */
export function verifySignedRequest(req: BusAccessKeyAuth, ctx: SignedRequestContext): Auth {
  const date = parseAccessKeyDate(req.date);
  if (date === null || Math.abs(ctx.nowMs - date) > SIGNED_REQUEST_MAX_SKEW_MS) {
    return { ok: false, error: invalidSession(TIME_SKEWED) };
  }
  const key = ctx.key;
  const secret = key ? ctx.secretOf(key) : null;
  const expected = Buffer.from(accessKeySignature(secret ?? NO_SECRET, req.method, req.date, req.path), 'utf8');
  const given = Buffer.from(req.signature, 'utf8');
  const matches = given.length === expected.length && timingSafeEqual(given, expected);
  if (!key || secret === null || !matches) return { ok: false, error: invalidSession(WRONG_SIGNATURE) };
  if (key.inventory.state !== 'Enabled') return { ok: false, error: invalidSession(KEY_DISABLED) };
  const accountState = ctx.accountState(key.inventory.accountUuid);
  if (accountState === undefined) return { ok: false, error: invalidSession(WRONG_SIGNATURE) };
  if (accountState !== 'Enabled') return { ok: false, error: invalidSession(ACCOUNT_DISABLED) };
  return { ok: true, caller: { accountUuid: key.inventory.accountUuid, userUuid: key.inventory.userUuid } };
}
