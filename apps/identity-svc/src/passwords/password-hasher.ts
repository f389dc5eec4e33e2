import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Slow, salted hashing of what clients send as a password (ZStack clients send the SHA-512 hex of
 * the clear password; we treat it as an opaque secret). Only the result of `hash` is ever stored
 * or put in an event. Format: `$scrypt$ln=<log2 N>,r=<r>,p=<p>$<salt b64>$<key b64>`, so the cost can
 * be raised later without invalidating stored hashes.
 */
export interface ScryptParams {
  log2N: number;
  r: number;
  p: number;
}

/** 32 MiB, about 150 ms on one core of the reference machine. OWASP's floor is log2N 17: raise it where logins are rare. */
export const DEFAULT_SCRYPT: ScryptParams = { log2N: 15, r: 8, p: 1 };

const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

function derive(secret: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const N = 2 ** params.log2N;
  const options: ScryptOptions = { N, r: params.r, p: params.p, maxmem: 256 * N * params.r + 64 * 1024 * 1024 };
  return new Promise((resolve, reject) =>
    scrypt(secret, salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key))));
}

export class PasswordHasher {
  private dummyHash: Promise<string> | null = null;

  constructor(readonly params: ScryptParams = DEFAULT_SCRYPT) {}

  async hash(secret: string): Promise<string> {
    const salt = randomBytes(SALT_LENGTH);
    const key = await derive(secret, salt, this.params);
    const { log2N, r, p } = this.params;
    return `$scrypt$ln=${log2N},r=${r},p=${p}$${salt.toString('base64')}$${key.toString('base64')}`;
  }

  /** Constant-time comparison; a malformed stored hash never matches. */
  async verify(secret: string, stored: string): Promise<boolean> {
    const parsed = parseHash(stored);
    if (!parsed) return false;
    const key = await derive(secret, parsed.salt, parsed.params);
    return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
  }

  /** Spends the same time as a real check, so that an unknown name answers as slowly as a wrong password. */
  async verifyAgainstNothing(secret: string): Promise<false> {
    this.dummyHash ??= this.hash('no account has this password');
    await this.verify(secret, await this.dummyHash);
    return false;
  }
}

function parseHash(stored: string): { params: ScryptParams; salt: Buffer; key: Buffer } | null {
  const m = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(stored);
  if (!m) return null;
  const params = { log2N: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  if (params.log2N < 1 || params.log2N > 22) return null;
  return { params, salt: Buffer.from(m[4], 'base64'), key: Buffer.from(m[5], 'base64') };
}
