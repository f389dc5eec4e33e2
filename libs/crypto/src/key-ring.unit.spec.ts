import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { AeadKey, CryptoError, KeyRing, createKeyFile, keyRingFromEnv, parseKeyFile, type Sealed } from './index';

const key = () => randomBytes(32);
const UUID = '5d6ac4e1b4a74a3c9f2e1c0d2b3a4f5e';

function refused(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CryptoError);
    return (error as Error).message;
  }
  throw new Error('expected a CryptoError');
}

describe('KeyRing (AES-256-GCM)', () => {
  const raw = key();
  const ring = KeyRing.of('k1', { k1: raw });

  it('round-trips with the same AAD, with a fresh nonce every time', () => {
    const a = ring.encrypt('s3cret-value', UUID);
    const b = ring.encrypt('s3cret-value', UUID);
    expect(a.keyId).toBe('k1');
    expect(a.ciphertext).not.toBe(b.ciphertext);
    expect(Buffer.from(a.ciphertext, 'base64').subarray(0, 12)).not.toEqual(Buffer.from(b.ciphertext, 'base64').subarray(0, 12));
    // nonce 12 + plaintext 12 + tag 16
    expect(Buffer.from(a.ciphertext, 'base64')).toHaveLength(12 + 12 + 16);
    expect(ring.decrypt(a, UUID).toString('utf8')).toBe('s3cret-value');
    expect(ring.decrypt(b, UUID).toString('utf8')).toBe('s3cret-value');
  });

  it('refuses another AAD', () => {
    const sealed = ring.encrypt('s3cret-value', UUID);
    expect(refused(() => ring.decrypt(sealed, 'ffffffffffffffffffffffffffffffff'))).toMatch(/decryption with key k1 failed/);
    expect(refused(() => ring.decrypt(sealed, ''))).toMatch(/failed/);
  });

  it('refuses a tampered ciphertext, tag or nonce, and a truncated or non-base64 one', () => {
    const sealed = ring.encrypt('s3cret-value', UUID);
    const raw = Buffer.from(sealed.ciphertext, 'base64');
    for (const index of [0, 11, 12, raw.length - 17, raw.length - 1]) {
      const bad = Buffer.from(raw);
      bad[index] ^= 0x01;
      expect(refused(() => ring.decrypt({ keyId: 'k1', ciphertext: bad.toString('base64') }, UUID))).toMatch(/failed|altered/);
    }
    expect(refused(() => ring.decrypt({ keyId: 'k1', ciphertext: raw.subarray(0, 20).toString('base64') }, UUID))).toMatch(/too short/);
    expect(refused(() => ring.decrypt({ keyId: 'k1', ciphertext: 'not base64!' }, UUID))).toMatch(/not base64/);
    // A shortened tag must not be accepted (GCM accepts short tags unless told the length).
    expect(refused(() => ring.decrypt({ keyId: 'k1', ciphertext: raw.subarray(0, raw.length - 4).toString('base64') }, UUID))).toMatch(/failed/);
  });

  it('names an unknown key id clearly', () => {
    const sealed = ring.encrypt('x', UUID);
    const message = refused(() => ring.decrypt({ ...sealed, keyId: 'k9' }, UUID));
    expect(message).toBe('unknown encryption key id "k9" (this key ring has k1): was a key removed from ENCRYPTION_KEYS_FILE?');
  });

  it('keeps decrypting old ciphertexts after a new active key is added (rotation)', () => {
    const old: Sealed = ring.encrypt('before rotation', UUID);
    const rotated = ring.withKey(new AeadKey('k2', key()));
    expect(rotated.activeKeyId).toBe('k2');
    const fresh = rotated.encrypt('after rotation', UUID);
    expect(fresh.keyId).toBe('k2');
    expect(rotated.decrypt(old, UUID).toString()).toBe('before rotation');
    expect(rotated.decrypt(fresh, UUID).toString()).toBe('after rotation');
    expect(refused(() => ring.decrypt(fresh, UUID))).toMatch(/unknown encryption key id "k2"/);
  });

  it('does not decrypt with another key of the same id', () => {
    const other = KeyRing.of('k1', { k1: key() });
    expect(refused(() => other.decrypt(ring.encrypt('x', UUID), UUID))).toMatch(/failed/);
  });

  it('wraps a per-resource data key: a data key is an AeadKey sealed by the ring', () => {
    const dataKeyBytes = key();
    const wrapped = ring.encrypt(dataKeyBytes, UUID);
    const dataKey = new AeadKey(`platform-${UUID}`, ring.decrypt(wrapped, UUID));
    const sealed = dataKey.seal('password', UUID);
    expect(sealed.keyId).toBe(`platform-${UUID}`);
    expect(new AeadKey(`platform-${UUID}`, dataKeyBytes).open(sealed, UUID).toString()).toBe('password');
  });

  it('never shows key material when printed or serialised', () => {
    const text = [JSON.stringify(ring), inspect(ring), String(ring), JSON.stringify({ ring }), inspect(new AeadKey('k1', raw)), JSON.stringify(new AeadKey('k1', raw))].join('\n');
    expect(text).not.toContain(raw.toString('base64'));
    expect(text).not.toContain(raw.toString('hex'));
    expect(JSON.stringify(ring)).toBe('{"active":"k1","keyIds":["k1"]}');
  });

  it('refuses bad key sizes and ids', () => {
    expect(refused(() => new AeadKey('k1', randomBytes(16)))).toBe('key k1 must be 32 bytes, got 16');
    expect(refused(() => new AeadKey('k:1', key()))).toMatch(/invalid key id/);
    expect(refused(() => KeyRing.of('k2', { k1: key() }))).toBe('the active key k2 is not among the keys (k1)');
  });
});

describe('key sources', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cp-keys-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads ENCRYPTION_KEY as key k1', () => {
    const raw = key();
    const ring = keyRingFromEnv({ ENCRYPTION_KEY: raw.toString('base64') });
    expect(ring.activeKeyId).toBe('k1');
    expect(KeyRing.of('k1', { k1: raw }).decrypt(ring.encrypt('x', 'a'), 'a').toString()).toBe('x');
  });

  it('reads a key file with several keys and the active one', () => {
    const path = join(dir, 'keys.json');
    writeFileSync(path, JSON.stringify({ active: 'k2', keys: { k1: key().toString('base64'), k2: key().toString('base64') } }));
    const ring = keyRingFromEnv({ ENCRYPTION_KEYS_FILE: path });
    expect(ring.keyIds).toEqual(['k1', 'k2']);
    expect(ring.encrypt('x', 'a').keyId).toBe('k2');
  });

  it('fails fast with a clear message, never quoting a key', () => {
    const secretish = key().toString('base64');
    expect(refused(() => keyRingFromEnv({}))).toMatch(/^no encryption key: set ENCRYPTION_KEYS_FILE .* or ENCRYPTION_KEY to base64 of 32 random bytes/);
    expect(refused(() => keyRingFromEnv({ ENCRYPTION_KEY: secretish, ENCRYPTION_KEYS_FILE: '/x' }))).toBe('both ENCRYPTION_KEYS_FILE and ENCRYPTION_KEY are set; set only one');
    const short = randomBytes(31).toString('base64');
    const m = refused(() => keyRingFromEnv({ ENCRYPTION_KEY: short }));
    expect(m).toBe('ENCRYPTION_KEY must be base64 of 32 bytes, it decodes to 31');
    expect(refused(() => keyRingFromEnv({ ENCRYPTION_KEYS_FILE: join(dir, 'missing.json') }))).toMatch(/cannot be read: ENOENT/);
    const broken = `{"active": "k1", "keys": {"k1": "${secretish}"`;
    const parse = refused(() => parseKeyFile(broken, 'keys.json'));
    expect(parse).toMatch(/^keys.json is not valid JSON/);
    expect(parse).not.toContain(secretish);
    expect(refused(() => parseKeyFile(JSON.stringify({ active: 'k3', keys: { k1: secretish } }), 'f'))).toBe('f: the active key k3 is not among the keys (k1)');
    expect(refused(() => parseKeyFile(JSON.stringify({ active: 'k1', keys: { k1: 'c2hvcnQ=' } }), 'f'))).toBe('f: key "k1" must be base64 of 32 bytes, it decodes to 5');
  });

  it('creates a key file once, readable by its owner only', () => {
    const path = join(dir, 'created.json');
    expect(createKeyFile(path)).toBe(true);
    const first = readFileSync(path, 'utf8');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(createKeyFile(path)).toBe(false);
    expect(readFileSync(path, 'utf8')).toBe(first);
    expect(keyRingFromEnv({ ENCRYPTION_KEYS_FILE: path }).activeKeyId).toBe('k1');
  });
});
