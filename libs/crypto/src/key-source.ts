import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { AeadKey, CryptoError, KEY_BYTES, KeyRing } from './key-ring';

/**
 * Where the master keys come from, in one place for every service:
 *
 * - `ENCRYPTION_KEYS_FILE`: a JSON file `{"active": "<id>", "keys": {"<id>": "<base64 of 32 bytes>"}}`
 *   (rotation: add a key, make it active, keep the old ones);
 * - or `ENCRYPTION_KEY`: base64 of 32 bytes, used as key id `k1`.
 *
 * Neither set, or both, stops the service at start with a message saying what to do. Messages name
 * the variable and the key id, never a key.
 */
export const ENCRYPTION_KEYS_FILE = 'ENCRYPTION_KEYS_FILE';
export const ENCRYPTION_KEY = 'ENCRYPTION_KEY';
/** The key id of `ENCRYPTION_KEY`. */
export const ENV_KEY_ID = 'k1';

const HOW = `set ${ENCRYPTION_KEYS_FILE} to a JSON file {"active": "<id>", "keys": {"<id>": "<base64 of 32 random bytes>"}}, ` +
  `or ${ENCRYPTION_KEY} to base64 of 32 random bytes (e.g. \`openssl rand -base64 32\`)`;

function decodeKey(text: unknown, what: string): Buffer {
  if (typeof text !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(text.trim())) {
    throw new CryptoError(`${what} must be base64 of ${KEY_BYTES} bytes`);
  }
  const raw = Buffer.from(text.trim(), 'base64');
  if (raw.length !== KEY_BYTES) throw new CryptoError(`${what} must be base64 of ${KEY_BYTES} bytes, it decodes to ${raw.length}`);
  return raw;
}

/** Parses the key file's text; `source` names it in messages. */
export function parseKeyFile(text: string, source: string): KeyRing {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    // JSON.parse's message may quote the file, keys included: say only where.
    throw new CryptoError(`${source} is not valid JSON; expected {"active": "<id>", "keys": {"<id>": "<base64 of 32 bytes>"}}`);
  }
  const { active, keys } = (doc ?? {}) as { active?: unknown; keys?: unknown };
  if (typeof active !== 'string') throw new CryptoError(`${source}: "active" must be the id of a key in "keys"`);
  if (keys === null || typeof keys !== 'object' || Array.isArray(keys) || Object.keys(keys).length === 0) {
    throw new CryptoError(`${source}: "keys" must be an object of key id to base64 key`);
  }
  const ring: AeadKey[] = [];
  for (const [id, value] of Object.entries(keys as Record<string, unknown>)) {
    const raw = decodeKey(value, `${source}: key ${JSON.stringify(id.slice(0, 80))}`);
    try {
      ring.push(new AeadKey(id, raw));
    } catch (error) {
      throw new CryptoError(`${source}: ${(error as Error).message}`);
    } finally {
      raw.fill(0);
    }
  }
  try {
    return new KeyRing(active, ring);
  } catch (error) {
    throw new CryptoError(`${source}: ${(error as Error).message}`);
  }
}

export function readKeyFile(path: string): KeyRing {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CryptoError(`${ENCRYPTION_KEYS_FILE} (${path}) cannot be read: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  return parseKeyFile(text, `${ENCRYPTION_KEYS_FILE} (${path})`);
}

/** The master key ring from the environment, or a CryptoError saying how to configure one. */
export function keyRingFromEnv(env: Record<string, string | undefined> = process.env): KeyRing {
  const file = env[ENCRYPTION_KEYS_FILE]?.trim();
  const key = env[ENCRYPTION_KEY]?.trim();
  if (file && key) throw new CryptoError(`both ${ENCRYPTION_KEYS_FILE} and ${ENCRYPTION_KEY} are set; set only one`);
  if (file) return readKeyFile(file);
  if (key) {
    const raw = decodeKey(key, ENCRYPTION_KEY);
    try {
      return new KeyRing(ENV_KEY_ID, [new AeadKey(ENV_KEY_ID, raw)]);
    } finally {
      raw.fill(0);
    }
  }
  throw new CryptoError(`no encryption key: ${HOW}`);
}

/**
 * Writes a new key file with one random key (`k1`), readable by its owner only (0600), unless the
 * file exists. Returns whether it wrote one. For the embedded set (`npm start`).
 */
export function createKeyFile(path: string): boolean {
  const raw = randomBytes(KEY_BYTES);
  const text = `${JSON.stringify({ active: ENV_KEY_ID, keys: { [ENV_KEY_ID]: raw.toString('base64') } }, null, 2)}\n`;
  raw.fill(0);
  try {
    writeFileSync(path, text, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  chmodSync(path, 0o600);
  return true;
}

/**
 * Rotation, step one: adds a new random key to the key file and makes it the active one; the old
 * keys stay (they still decrypt what they sealed). Written to a temporary file (0600) and renamed,
 * so a crash never leaves a half-written key file. Returns the new key's id.
 */
export function addActiveKey(path: string): string {
  const ring = readKeyFile(path);
  const doc = JSON.parse(readFileSync(path, 'utf8')) as { active: string; keys: Record<string, string> };
  let n = ring.keyIds.length + 1;
  while (ring.has(`k${n}`)) n++;
  const id = `k${n}`;
  const raw = randomBytes(KEY_BYTES);
  const text = `${JSON.stringify({ active: id, keys: { ...doc.keys, [id]: raw.toString('base64') } }, null, 2)}\n`;
  raw.fill(0);
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text, { mode: 0o600, flag: 'wx' });
  renameSync(temporary, path);
  return id;
}
