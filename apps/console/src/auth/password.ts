import { sha512Hex, toHex } from './sha512';

/**
 * A password as ZStack clients send it: the SHA-512 hex of the clear text. WebCrypto when the page
 * is a secure context (https, localhost), else the pure-TS digest; the clear text is never sent.
 */
export async function hashPassword(clear: string): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (subtle) return toHex(new Uint8Array(await subtle.digest('SHA-512', new TextEncoder().encode(clear))));
  return sha512Hex(clear);
}
