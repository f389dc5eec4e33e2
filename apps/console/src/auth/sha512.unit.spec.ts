import { createHash, randomBytes } from 'node:crypto';
import { sha512, sha512Hex, toHex } from './sha512';

const reference = (data: Uint8Array) => createHash('sha512').update(data).digest('hex');

describe('the console\'s pure-TS SHA-512', () => {
  it('hashes the known vectors like node:crypto', () => {
    expect(sha512Hex('')).toBe(reference(new Uint8Array()));
    expect(sha512Hex('abc')).toBe(
      'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f',
    );
    // "password": the built-in admin's initial password as ZStack clients send it.
    expect(sha512Hex('password')).toBe(
      'b109f3bbbc244eb82441917ed06d618b9008dd09b3befd1b5e07394c706a8bb980b1d7785e5976ec049b46df5f1326af5a2ea6d103fd07c95385ffab0cacbc86',
    );
    expect(sha512Hex('pässwörd ✓ 密码')).toBe(reference(new TextEncoder().encode('pässwörd ✓ 密码')));
  });

  it('agrees with node:crypto on every length around the block and padding edges, and on random input', () => {
    for (let length = 0; length <= 300; length++) {
      const data = randomBytes(length);
      expect(toHex(sha512(data))).toBe(reference(data));
    }
    const big = randomBytes(100_000);
    expect(toHex(sha512(big))).toBe(reference(big));
  });
});
