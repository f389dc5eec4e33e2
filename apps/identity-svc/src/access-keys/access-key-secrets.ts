import { randomInt } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { KeyRing } from '@cp/crypto';
import type { SealedSecret } from '@cp/contracts';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** ZStack's AccessKeyConstant.ACCESSKEY_ID_LEN and ACCESSKEY_SECRET_LEN: generated values are alphanumeric (never ':'). */
export const GENERATED_ID_LENGTH = 20;
export const GENERATED_SECRET_LENGTH = 40;

/** `length` characters from [A-Za-z0-9], uniformly (crypto.randomInt has no modulo bias). */
export function randomAlphanumeric(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return out;
}

/**
 * Access key secrets at rest: sealed with the master key ring (AES-256-GCM), the key's uuid as
 * additional data, so a sealed secret copied onto another key does not open. The plain secret exists
 * only in CreateAccessKey's reply and, for a moment, while a signature is checked.
 */
@Injectable()
export class AccessKeySecrets {
  constructor(private readonly ring: KeyRing) {}

  generateId(): string {
    return randomAlphanumeric(GENERATED_ID_LENGTH);
  }

  generateSecret(): string {
    return randomAlphanumeric(GENERATED_SECRET_LENGTH);
  }

  seal(accessKeyUuid: string, secret: string): SealedSecret {
    return this.ring.encrypt(secret, accessKeyUuid);
  }

  /** Throws a CryptoError (naming key ids only) when the secret cannot be opened. */
  open(accessKeyUuid: string, sealed: SealedSecret): string {
    return this.ring.decrypt(sealed, accessKeyUuid).toString('utf8');
  }
}
