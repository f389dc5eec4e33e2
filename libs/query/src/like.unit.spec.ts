import { compileLike } from './like';
import { likeToRegExp } from './values';

const like = (pattern: string, value: string) => compileLike(pattern).matches(value);

/** A tiny deterministic generator (an LCG, Numerical Recipes' constants): the same cases on every run. */
function lcg(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return Math.floor((state / 2 ** 32) * n);
  };
}

function randomString(next: (n: number) => number, alphabet: readonly string[], maxLength: number): string {
  let s = '';
  for (let i = next(maxLength + 1); i > 0; i--) s += alphabet[next(alphabet.length)];
  return s;
}

describe('compileLike', () => {
  it('has the semantics of the reference RegExp on simple cases', () => {
    expect(like('a%b_c', 'aXYZbQc')).toBe(true);
    expect(like('a%b_c', 'xaXbQc')).toBe(false);
    expect(like('%', '')).toBe(true);
    expect(like('%%', '')).toBe(true);
    expect(like('', '')).toBe(true);
    expect(like('', 'a')).toBe(false);
    expect(like('_', '')).toBe(false);
    expect(like('_', 'é')).toBe(true);
    expect(like('_', '😀')).toBe(true); // one character, not one UTF-16 unit
    expect(like('__', '😀')).toBe(false);
    expect(like('%😀%', 'x😀y')).toBe(true);
    expect(like('web%', 'Web-1')).toBe(false); // case-sensitive
    expect(like('a\\%', 'a\\anything')).toBe(true); // \ is literal, not an escape
    expect(like('a\\%', 'a%')).toBe(false);
    expect(like('a%c', 'a\nb\nc')).toBe(true); // % spans line breaks
    expect(like('a_c', 'a\nc')).toBe(true);
    expect(like('%a%a%', 'aa')).toBe(true);
    expect(like('%a%a%', 'a')).toBe(false);
    expect(like('ab%ba', 'aba')).toBe(false); // prefix and suffix may not overlap
    expect(like('ab%ba', 'abba')).toBe(true);
    const specials = '\\^$.*+?()[]{}|/-';
    expect(like(specials, specials)).toBe(true);
    expect(like(specials, 'x' + specials)).toBe(false);
  });

  it('treats a lone surrogate as one character, never half of a pair', () => {
    const high = '\uD83D';
    const low = '\uDE00';
    expect(like('%' + high + '%', '😀')).toBe(false);
    expect(like('%' + low + '%', '😀')).toBe(false);
    expect(like('%' + high + '%', high + 'a')).toBe(true);
    expect(like('%' + low + '%', 'a' + low)).toBe(true);
    expect(like('_' + low, high + low)).toBe(false); // the pair is one character
    expect(like('%_' + low + '%', low + low)).toBe(true);
  });

  describe('does not backtrack', () => {
    // With the RegExp of likeToRegExp these take longer than any test timeout (the first one was
    // checked to: each `%a` multiplies the time by about the value's length).
    const a2k = 'a'.repeat(2048);
    const a100k = 'a'.repeat(100_000);

    it('2,048 a against %a%a%a%a%a%a%a%a%a%a%b', () => {
      expect(like('%a%a%a%a%a%a%a%a%a%a%b', a2k)).toBe(false);
      expect(like('%a%a%a%a%a%a%a%a%a%a%b%', a2k)).toBe(false);
      expect(like('%a_%a_%a_%a_%a_%a_%a_%a_%a_%a_%b', a2k)).toBe(false);
      expect(like('%a_%a_%a_%a_%a_%a_%a_%a_%a_%a_%b_%', a2k)).toBe(false);
      expect(like('%a%a%a%a%a%a%a%a%a%a%', a2k)).toBe(true);
    });

    it('a 100,000-character value against 20 %a', () => {
      const twenty = '%a'.repeat(20);
      expect(like(twenty + '%b', a100k)).toBe(false);
      expect(like(twenty + '%b%', a100k)).toBe(false);
      expect(like('%a_'.repeat(20) + '%b_%', a100k)).toBe(false);
      expect(like(twenty + '%', a100k)).toBe(true);
      expect(like(twenty + '%b', a100k + 'b')).toBe(true);
    });
  });

  describe('agrees with the reference RegExp', () => {
    function agree(seed: number, patternAlphabet: string[], valueAlphabet: string[], cases: number): void {
      const next = lcg(seed);
      for (let i = 0; i < cases; i++) {
        const pattern = randomString(next, patternAlphabet, 8);
        const value = randomString(next, valueAlphabet, 10);
        const expected = likeToRegExp(pattern).test(value);
        if (compileLike(pattern).matches(value) !== expected) {
          // One readable failure instead of thousands of expect calls.
          throw new Error(`LIKE ${JSON.stringify(pattern)} on ${JSON.stringify(value)}: expected ${expected}`);
        }
      }
    }

    it("on random patterns and values over 'ab%_'", () => {
      agree(20240515, ['a', 'b', '%', '_'], ['a', 'b', '%', '_'], 5000);
      agree(7, ['a', 'b', '%', '_'], ['a', 'b'], 5000);
    });

    it('on random patterns and values with surrogate pairs and lone surrogates', () => {
      agree(42, ['a', '😀', '\uD83D', '\uDE00', '%', '_'], ['a', '😀', '\uD83D', '\uDE00'], 5000);
    });
  });
});
