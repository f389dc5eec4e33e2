import { createHash } from 'node:crypto';
import { isAdmin, type BusAuth, type Caller } from '@cp/contracts';

/**
 * Who started a job: a fingerprint of the credential it came with (a session, or an access key's
 * id) and, once the service has resolved the caller, its account. A poll or a retry by the same
 * credential or the same account is the owner's; the admin may read any outcome.
 */
export interface JobOwner {
  /** sha256 of the session uuid or access key id: the bearer credential itself is never stored. */
  credential: string;
  accountUuid?: string;
  /**
   * The principal within the account: an IAM2 virtual ID acts within its owner's account but is not
   * that account, so it reads neither the account's jobs nor their secrets (absent: the account itself).
   */
  userUuid?: string;
}

export function credentialOf(auth: BusAuth | undefined): string {
  const given = auth?.accessKey ? `accesskey:${String(auth.accessKey.accessKeyId)}` : `session:${auth?.sessionUuid?.trim() ?? ''}`;
  return createHash('sha256').update(given).digest('hex');
}

export const ownerOf = (auth: BusAuth | undefined, caller?: Caller | null): JobOwner => {
  if (!caller) return { credential: credentialOf(auth) };
  const owner: JobOwner = { credential: credentialOf(auth), accountUuid: caller.accountUuid };
  if (caller.userUuid !== caller.accountUuid) owner.userUuid = caller.userUuid;
  return owner;
};

/**
 * The same bearer credential, no need to ask who calls: the same session (whose uuid is the secret),
 * or the same access key while the job's caller is not known yet (its outcome can then only be a
 * refusal). An access key's id is public, so a signed request is otherwise verified and matched by account.
 */
export const sameCredential = (owner: JobOwner | undefined, auth: BusAuth | undefined): boolean =>
  owner !== undefined && owner.credential === credentialOf(auth) && (auth?.accessKey === undefined || owner.accountUuid === undefined);

/** The resolved caller is the owner (a new session of the same account, or of the same virtual ID). */
export const sameAccount = (owner: JobOwner | undefined, caller: Caller | null): boolean =>
  owner?.accountUuid !== undefined && caller !== null && caller.accountUuid === owner.accountUuid &&
  caller.userUuid === (owner.userUuid ?? owner.accountUuid);

export const mayReadJob = (owner: JobOwner | undefined, auth: BusAuth | undefined, caller: Caller | null): boolean =>
  sameCredential(owner, auth) || sameAccount(owner, caller) || (caller !== null && isAdmin(caller));

/**
 * The caller a handler resolved for a request, kept beside the request's `auth` object (one per
 * bus message) so the bus server can record the job's owner without asking again.
 */
const resolved = new WeakMap<BusAuth, Caller>();

export const noteCaller = (auth: BusAuth, caller: Caller): void => {
  resolved.set(auth, caller);
};

export const notedCaller = (auth: BusAuth): Caller | null => resolved.get(auth) ?? null;
