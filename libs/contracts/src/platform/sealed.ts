/** A ciphertext with the id of the key that sealed it (libs/crypto's `Sealed`): `base64(nonce | ciphertext | tag)`. */
export interface Sealed {
  keyId: string;
  ciphertext: string;
}
