import type { SealedSecret } from '@cp/contracts';

/** The master key ring of a service that returns secrets (libs/crypto's KeyRing fits). */
export interface JobSealer {
  encrypt(plaintext: string, aad: string): SealedSecret;
  decrypt(sealed: SealedSecret, aad: string): Buffer;
}

type Json = Record<string, unknown>;

function at(result: unknown, path: string): { parent: Json; key: string } | null {
  const parts = path.split('.');
  let node: unknown = result;
  for (const part of parts.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return null;
    node = (node as Json)[part];
  }
  return node !== null && typeof node === 'object' ? { parent: node as Json, key: parts[parts.length - 1] } : null;
}

/**
 * The result as a job record keeps it: each secret field taken out and sealed (AAD = the job id, so
 * a ciphertext copied onto another job does not open). Without a sealer the secret is dropped, never
 * kept in clear.
 */
export function sealResult(
  result: unknown, fields: readonly string[] | undefined, jobId: string, sealer: JobSealer | undefined,
): { result: unknown; sealed?: Record<string, SealedSecret> } {
  if (!fields?.length) return { result };
  const copy = structuredClone(result);
  const sealed: Record<string, SealedSecret> = {};
  for (const path of fields) {
    const slot = at(copy, path);
    const value = slot?.parent[slot.key];
    if (!slot || typeof value !== 'string') continue;
    delete slot.parent[slot.key];
    if (sealer) sealed[path] = sealer.encrypt(value, jobId);
  }
  return Object.keys(sealed).length ? { result: copy, sealed } : { result: copy };
}

/** The result with its sealed fields opened again (for the job's owner only). */
export function openResult(result: unknown, sealed: Record<string, SealedSecret> | undefined, jobId: string, sealer: JobSealer): unknown {
  if (!sealed) return result;
  const copy = structuredClone(result);
  for (const [path, secret] of Object.entries(sealed)) {
    const slot = at(copy, path);
    if (slot) slot.parent[slot.key] = sealer.decrypt(secret, jobId).toString('utf8');
  }
  return copy;
}

/** The Nest provider token of a service's JobSealer (identity-svc: its master key ring). */
export const JOB_SEALER = Symbol('JOB_SEALER');
