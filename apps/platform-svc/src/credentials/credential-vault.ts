import { randomBytes } from 'node:crypto';
import type { KV, NatsConnection } from 'nats';
import { openKv } from '@cp/bus';
import { AeadKey, CryptoError, KEY_BYTES, type KeyRing, type Sealed } from '@cp/crypto';
import type { PlatformCredential } from '@cp/contracts';

export const DATA_KEYS_BUCKET = 'platform-data-keys';

/** A data key as stored: its id and its 32 bytes sealed by a master key (AAD: `platform-data-key:<uuid>`). */
interface WrappedDataKey {
  id: string;
  wrapped: Sealed;
}

interface StoredKeys {
  keys: WrappedDataKey[];
}

/** A credential in clear, only ever in memory while it is used. */
export interface ClearCredential {
  username: string;
  secret: string;
  accessKeyId?: string;
}

/**
 * Envelope encryption of platform credentials (control-plane-api.md, "Credentials"): each platform
 * has a data key of its own, kept only wrapped by the master key ring in the KV bucket
 * `platform-data-keys` (never in an event). Credentials are sealed with the data key, the platform
 * uuid as additional data, and the sealed form is what events carry. Destroying the data key
 * (DELETE) makes every ciphertext of that platform in the log unreadable for good.
 */
export class CredentialVault {
  private constructor(private readonly kv: KV, private ring: KeyRing, private readonly reloadRing?: () => KeyRing) {}

  /** `reloadRing` reads the key file again: used when a data key is wrapped by a key this ring lacks (another replica rotated). */
  static async open(nc: NatsConnection, ring: KeyRing, reloadRing?: () => KeyRing): Promise<CredentialVault> {
    const kv = await openKv(nc, DATA_KEYS_BUCKET);
    return new CredentialVault(kv, ring, reloadRing);
  }

  get activeMasterKeyId(): string {
    return this.ring.activeKeyId;
  }

  /** A ring read again (rotation): the new active key wraps from now on; the old ones still unwrap. */
  useRing(ring: KeyRing): void {
    this.ring = ring;
  }

  /**
   * Seals a credential under a fresh data key, wrapped by the active master key. The platform's
   * older data keys stay until `retire` (called once the event holding the new ciphertext is in the
   * log), so a failed append never leaves a credential without its key.
   */
  async seal(uuid: string, clear: ClearCredential): Promise<PlatformCredential> {
    const stored = await this.keysOf(uuid);
    const generation = Math.max(0, ...stored.map((k) => Number(k.id.split('-').pop()))) + 1;
    const raw = randomBytes(KEY_BYTES);
    try {
      const fresh: WrappedDataKey = { id: `dk-${uuid}-${generation}`, wrapped: this.ring.encrypt(raw, `platform-data-key:${uuid}`) };
      await this.kv.put(uuid, JSON.stringify({ keys: [...stored, fresh] } satisfies StoredKeys));
      return sealWith(new AeadKey(fresh.id, raw), uuid, clear);
    } finally {
      raw.fill(0);
    }
  }

  async open(uuid: string, credential: PlatformCredential): Promise<ClearCredential> {
    const key = await this.dataKey(uuid, credential.passwordEnc.keyId);
    if (!key) throw new CryptoError(`the data key of platform ${uuid} is gone: the credential can no longer be read`);
    return {
      username: key.open(credential.usernameEnc, uuid).toString('utf8'),
      secret: key.open(credential.passwordEnc, uuid).toString('utf8'),
      accessKeyId: credential.accessKeyId,
    };
  }

  /** Drops every data key of the platform but the one its current credential uses. */
  async retire(uuid: string, keepDataKeyId: string): Promise<void> {
    const stored = await this.keysOf(uuid);
    const kept = stored.filter((k) => k.id === keepDataKeyId);
    if (kept.length !== stored.length) await this.kv.put(uuid, JSON.stringify({ keys: kept } satisfies StoredKeys));
  }

  /** Crypto-shredding: the platform's data keys are purged, with their history. */
  async destroy(uuid: string): Promise<void> {
    await this.kv.purge(uuid);
  }

  /** The master key ids that wrap the platform's data keys now. */
  async wrappingKeyIds(uuid: string): Promise<string[]> {
    return (await this.keysOf(uuid)).map((k) => k.wrapped.keyId);
  }

  private async keysOf(uuid: string): Promise<WrappedDataKey[]> {
    const entry = await this.kv.get(uuid);
    return entry && entry.operation === 'PUT' ? entry.json<StoredKeys>().keys : [];
  }

  private async dataKey(uuid: string, id: string): Promise<AeadKey | null> {
    const stored = (await this.keysOf(uuid)).find((k) => k.id === id);
    if (!stored) return null;
    if (!this.ring.has(stored.wrapped.keyId) && this.reloadRing) this.ring = this.reloadRing();
    const raw = this.ring.decrypt(stored.wrapped, `platform-data-key:${uuid}`);
    try {
      return new AeadKey(stored.id, raw);
    } finally {
      raw.fill(0);
    }
  }
}

function sealWith(key: AeadKey, uuid: string, clear: ClearCredential): PlatformCredential {
  const credential: PlatformCredential = { usernameEnc: key.seal(clear.username, uuid), passwordEnc: key.seal(clear.secret, uuid) };
  if (clear.accessKeyId !== undefined) credential.accessKeyId = clear.accessKeyId;
  return credential;
}
