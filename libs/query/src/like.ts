/**
 * SQL LIKE matching without backtracking.
 *
 * The semantics are those of {@link likeToRegExp} (the reference definition, kept in values.ts): `%`
 * matches any run of characters (also none), `_` exactly one character, everything else is literal
 * (there is no escape character, `\` is an ordinary character); case-sensitive; a character is a code
 * point (a surrogate pair is one character, a lone surrogate is one character too), line breaks
 * included.
 *
 * A RegExp made of `.*` runs backtracks: `%a%a%a%b` against 2,048 `a`s tries every way of splitting
 * the value among the runs, which grows as the value's length to the power of the number of `%`. Here
 * the pattern is split on `%` into segments of literal characters and `_`, each matching a fixed
 * number of characters:
 * - the first segment must match at the start (a prefix) and the last one at the end (a suffix);
 * - each segment in between is matched at its leftmost occurrence after the previous one. Taking the
 *   leftmost occurrence is never wrong: it ends earliest, which leaves the most room to the rest.
 * No position is ever revisited for the same segment, so the cost is at most the value's length times
 * the pattern's; in practice it is linear: a segment without `_` is found by `String.prototype.indexOf`,
 * one with `_` by indexOf of its first literal character, then compared.
 *
 * @see likeToRegExp in values.ts
 */

/** `_` in a compiled segment; real code points are non-negative. */
const ANY = -1;

interface Segment {
  /** The segment's characters as code points, {@link ANY} for `_`. */
  readonly codePoints: readonly number[];
  /** The segment as a string when it has no `_` (compared and searched as a whole), else null. */
  readonly literal: string | null;
  /** How many `_` the segment starts with; -1 when it is only `_`. */
  readonly lead: number;
  /** The first character that is not `_` (searched with indexOf), or null. */
  readonly head: string | null;
}

/**
 * Called now and then while one value is being scanned, so that a long scan (a long value and a long
 * pattern) can be stopped by the caller's time budget (by throwing).
 */
export type Tick = () => void;

/** A compiled LIKE pattern: `matches(value)` is the `like` test, its negation `not like`. */
export interface LikeMatcher {
  matches(value: string, tick?: Tick): boolean;
}

/** How many candidate positions of a middle segment are tried between two ticks. */
const POSITIONS_PER_TICK = 256;

/** Compiles a LIKE pattern (see the module comment for its semantics). */
export function compileLike(pattern: string): LikeMatcher {
  const segments = pattern.split('%').map(compileSegment);
  if (segments.length === 1) {
    const only = segments[0];
    return { matches: (value) => matchAt(value, 0, only, value.length) === value.length };
  }
  const first = segments[0];
  const last = segments[segments.length - 1];
  const middle = segments.slice(1, -1).filter((s) => s.codePoints.length > 0);
  return {
    matches(value, tick) {
      const n = value.length;
      let pos = matchAt(value, 0, first, n);
      if (pos < 0) return false;
      const suffixStart = stepBack(value, n, last.codePoints.length, pos);
      if (suffixStart < 0 || matchAt(value, suffixStart, last, n) !== n) return false;
      for (let i = 0; i < middle.length; i++) {
        pos = find(value, pos, middle[i], suffixStart, tick);
        if (pos < 0) return false;
      }
      return true;
    },
  };
}

function compileSegment(text: string): Segment {
  const codePoints: number[] = [];
  let wildcard = false;
  for (const ch of text) {
    // for..of walks code points as a `u` RegExp does: a pair is one, a lone surrogate is one.
    if (ch === '_') {
      codePoints.push(ANY);
      wildcard = true;
    } else {
      codePoints.push(ch.codePointAt(0)!);
    }
  }
  const lead = codePoints.findIndex((cp) => cp !== ANY);
  return {
    codePoints,
    literal: wildcard ? null : text,
    lead,
    head: lead < 0 ? null : String.fromCodePoint(codePoints[lead]),
  };
}

const isHigh = (unit: number) => unit >= 0xd800 && unit <= 0xdbff;
const isLow = (unit: number) => unit >= 0xdc00 && unit <= 0xdfff;

/** Whether `i` starts a character of `value` (is not the second half of a surrogate pair). */
function isBoundary(value: string, i: number): boolean {
  return !(i > 0 && isLow(value.charCodeAt(i)) && isHigh(value.charCodeAt(i - 1)));
}

/**
 * `segment` matched at `start` (a character boundary) without going past `end`: the index just after
 * the match, or -1.
 */
function matchAt(value: string, start: number, segment: Segment, end: number): number {
  const literal = segment.literal;
  if (literal !== null) {
    const after = start + literal.length;
    return after <= end && value.startsWith(literal, start) && isBoundary(value, after) ? after : -1;
  }
  const cps = segment.codePoints;
  let p = start;
  for (let i = 0; i < cps.length; i++) {
    if (p >= end) return -1;
    let c = value.charCodeAt(p++);
    if (isHigh(c) && p < value.length) {
      const d = value.charCodeAt(p);
      if (isLow(d)) {
        c = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
        p++;
      }
    }
    const want = cps[i];
    if (want !== ANY && want !== c) return -1;
  }
  return p <= end ? p : -1;
}

/** The index `count` characters before `end` (a boundary), or -1 when that is before `floor`. */
function stepBack(value: string, end: number, count: number, floor: number): number {
  let p = end;
  for (let i = 0; i < count; i++) {
    if (p <= floor) return -1;
    p--;
    if (p > 0 && isLow(value.charCodeAt(p)) && isHigh(value.charCodeAt(p - 1))) p--;
  }
  return p < floor ? -1 : p;
}

/**
 * The leftmost match of `segment` in `value` starting at or after `from` (a boundary) and ending at or
 * before `end`: the index just after it, or -1.
 */
function find(value: string, from: number, segment: Segment, end: number, tick: Tick | undefined): number {
  const literal = segment.literal;
  if (literal !== null) {
    const len = literal.length;
    let tries = 0;
    for (let i = value.indexOf(literal, from); i >= 0 && i + len <= end; i = value.indexOf(literal, i + 1)) {
      // Equal units are the same characters unless the match cuts a surrogate pair at either end.
      if (isBoundary(value, i) && isBoundary(value, i + len)) return i + len;
      if (tick !== undefined && ++tries % POSITIONS_PER_TICK === 0) tick();
    }
    return -1;
  }
  const { head, lead } = segment;
  // Only `_`: it fits at `from` unless too few characters are left, and then it fits nowhere later.
  if (head === null) return matchAt(value, from, segment, end);
  // Otherwise the candidates are found by their first literal character (`head`, after `lead` times
  // `_`), in increasing order, so the first that matches is the leftmost.
  let q = stepForward(value, from, lead, end);
  let tries = 0;
  while (q >= 0) {
    q = value.indexOf(head, q);
    if (q < 0 || q >= end) return -1;
    if (isBoundary(value, q)) {
      // matchAt checks that q really is that character (not half of a pair) and the rest.
      const after = matchAt(value, stepBack(value, q, lead, from), segment, end);
      if (after >= 0) return after;
      if (tick !== undefined && ++tries % POSITIONS_PER_TICK === 0) tick();
    }
    q++;
  }
  return -1;
}

/** The index `count` characters after `start` (a boundary), or -1 when that is past `end`. */
function stepForward(value: string, start: number, count: number, end: number): number {
  let p = start;
  for (let i = 0; i < count; i++) {
    if (p >= end) return -1;
    p += isHigh(value.charCodeAt(p)) && p + 1 < value.length && isLow(value.charCodeAt(p + 1)) ? 2 : 1;
  }
  return p <= end ? p : -1;
}
