import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';

/**
 * Envelope encryption for secrets the control plane must be able to read back (access key secrets
 * today; platform credentials later): AES-256-GCM, a fresh random 96-bit nonce per encryption, and
 * additional authenticated data (AAD) chosen by the caller that binds a ciphertext to what it belongs
 * to (an access key's uuid), so a ciphertext copied onto another resource does not decrypt.
 *
 * A {@link Sealed} value is `{keyId, ciphertext}`: the id of the key that sealed it, and
 * `base64(nonce (12 bytes) | ciphertext | tag (16 bytes))`. The key id travels with every ciphertext,
 * so keys can rotate: a {@link KeyRing} encrypts with its one active key and decrypts with any key it
 * knows.
 *
 * Per-resource data keys fit the same shapes: a data key is an {@link AeadKey} of its own (its id is
 * the resource's, e.g. `platform-<uuid>`), stored only wrapped, i.e. its 32 random bytes sealed by the
 * ring (`ring.encrypt(bytes, aad = resource uuid)`) and unwrapped with `new AeadKey(id,
 * ring.decrypt(wrapped, aad))`. Destroying the wrapped key shreds everything it sealed; re-wrapping
 * under a new master key id rotates without touching the data.
 *
 * Key bytes never leave these objects: no getter, no `toJSON`/`inspect` output beyond the id, and no
 * error text quotes a key, a plaintext or a ciphertext.
 */
export interface Sealed {
  keyId: string;
  /** base64 of nonce (12 bytes) | ciphertext | GCM tag (16 bytes). */
  ciphertext: string;
}

/** A refused encryption or decryption. The message names key ids at most, never key material or data. */
export class CryptoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CryptoError';
  }
}

export const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const ALGORITHM = 'aes-256-gcm';
/** Key ids appear in stored ciphertexts and in key files: short, printable, no separators to escape. */
export const KEY_ID = /^[A-Za-z0-9_-]{1,64}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const bytes = (data: string | Uint8Array): Buffer => (typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data));

export function assertKeyId(id: string): void {
  if (typeof id !== 'string' || !KEY_ID.test(id)) {
    throw new CryptoError(`invalid key id ${JSON.stringify(String(id).slice(0, 80))}: 1 to 64 letters, digits, '-' or '_'`);
  }
}

/** One AES-256-GCM key and its id. */
export class AeadKey {
  readonly #key: Buffer;

  constructor(readonly id: string, key: Uint8Array) {
    assertKeyId(id);
    if (!(key instanceof Uint8Array) || key.length !== KEY_BYTES) {
      throw new CryptoError(`key ${id} must be ${KEY_BYTES} bytes, got ${key instanceof Uint8Array ? key.length : typeof key}`);
    }
    this.#key = Buffer.from(key);
  }

  /** A new random key (e.g. a per-resource data key). */
  static generate(id: string): AeadKey {
    const raw = randomBytes(KEY_BYTES);
    try {
      return new AeadKey(id, raw);
    } finally {
      raw.fill(0);
    }
  }

  seal(plaintext: string | Uint8Array, aad: string | Uint8Array): Sealed {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.#key, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(bytes(aad));
    const body = Buffer.concat([cipher.update(bytes(plaintext)), cipher.final()]);
    return { keyId: this.id, ciphertext: Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64') };
  }

  open(sealed: Sealed, aad: string | Uint8Array): Buffer {
    if (sealed.keyId !== this.id) throw new CryptoError(`the ciphertext was sealed with key ${sealed.keyId}, not ${this.id}`);
    const raw = decodeCiphertext(sealed);
    const decipher = createDecipheriv(ALGORITHM, this.#key, raw.subarray(0, NONCE_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(bytes(aad));
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(raw.subarray(NONCE_BYTES, raw.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new CryptoError(`decryption with key ${this.id} failed: the ciphertext was altered, or belongs to other additional data`);
    }
  }

  toJSON(): { keyId: string } {
    return { keyId: this.id };
  }

  [inspect.custom](): string {
    return `AeadKey(${this.id})`;
  }
}

function decodeCiphertext(sealed: Sealed): Buffer {
  const text = sealed?.ciphertext;
  if (typeof text !== 'string' || !BASE64.test(text)) throw new CryptoError(`the ciphertext of key ${sealed?.keyId} is not base64`);
  const raw = Buffer.from(text, 'base64');
  if (raw.length < NONCE_BYTES + TAG_BYTES) throw new CryptoError(`the ciphertext of key ${sealed.keyId} is too short`);
  return raw;
}

/**
 * The master keys: one active key that encrypts, every known key decrypts. Built once at start-up
 * (see `keyRingFromEnv`); rotation = add a key and make it active, keep the old ones until nothing
 * sealed with them is left.
 */
export class KeyRing {
  readonly #keys = new Map<string, AeadKey>();

  constructor(readonly activeKeyId: string, keys: Iterable<AeadKey>) {
    for (const key of keys) {
      if (this.#keys.has(key.id)) throw new CryptoError(`key id ${key.id} appears twice`);
      this.#keys.set(key.id, key);
    }
    assertKeyId(activeKeyId);
    if (!this.#keys.has(activeKeyId)) {
      throw new CryptoError(`the active key ${activeKeyId} is not among the keys (${this.keyIds.join(', ') || 'none'})`);
    }
  }

  /** From raw 32-byte keys by id. */
  static of(activeKeyId: string, keys: Record<string, Uint8Array>): KeyRing {
    return new KeyRing(activeKeyId, Object.entries(keys).map(([id, key]) => new AeadKey(id, key)));
  }

  get keyIds(): string[] {
    return [...this.#keys.keys()];
  }

  has(keyId: string): boolean {
    return this.#keys.has(keyId);
  }

  /** This ring plus `key`, made the active one when `activate` (rotation). The old keys still decrypt. */
  withKey(key: AeadKey, activate = true): KeyRing {
    return new KeyRing(activate ? key.id : this.activeKeyId, [...this.#keys.values(), key]);
  }

  encrypt(plaintext: string | Uint8Array, aad: string | Uint8Array): Sealed {
    return this.#keys.get(this.activeKeyId)!.seal(plaintext, aad);
  }

  decrypt(sealed: Sealed, aad: string | Uint8Array): Buffer {
    const key = typeof sealed?.keyId === 'string' ? this.#keys.get(sealed.keyId) : undefined;
    if (!key) {
      throw new CryptoError(`unknown encryption key id ${JSON.stringify(String(sealed?.keyId).slice(0, 80))} ` +
        `(this key ring has ${this.keyIds.join(', ')}): was a key removed from ENCRYPTION_KEYS_FILE?`);
    }
    return key.open(sealed, aad);
  }

  toJSON(): { active: string; keyIds: string[] } {
    return { active: this.activeKeyId, keyIds: this.keyIds };
  }

  [inspect.custom](): string {
    return `KeyRing(active ${this.activeKeyId}; ${this.keyIds.join(', ')})`;
  }
}
