/**
 * Value parsing shared by the query-string parser and the engine. All functions return `null` for
 * what they cannot parse; callers decide which error that is.
 */

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A finite decimal number (no hex, no `Infinity`, no empty string, no surrounding blanks). */
export function parseNumber(text: string): number | null {
  if (!NUMBER.test(text)) return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

/** `true` / `false`, case-insensitive. */
export function parseBoolean(text: string): boolean | null {
  const lower = text.toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : null;
}

const EPOCH_MILLIS = /^-?\d+$/;
// yyyy-MM-dd, then optionally [T or blank]HH:mm[:ss[.fraction]] and a zone (Z, ±HH, ±HHmm, ±HH:mm).
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?)?$/;

/**
 * Epoch milliseconds of a date given as ISO-8601 (`2024-05-01`, `2024-05-01T10:00:00.123Z`,
 * `2024-05-01T12:00:00+02:00`), as ZStack's `yyyy-MM-dd HH:mm:ss[.fff]`, or as epoch milliseconds
 * (an optionally negative run of digits). A date-time without a zone is UTC. Out-of-range components
 * (month 13, February 30, hour 24, ...) are rejected.
 */
export function parseDate(text: string): number | null {
  if (text.length === 24) {
    const fast = parseCanonicalIso(text);
    if (fast !== null) return fast;
  }
  if (EPOCH_MILLIS.test(text)) {
    const n = Number(text);
    return Number.isSafeInteger(n) ? n : null;
  }
  const m = DATE_TIME.exec(text);
  if (m === null) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const millis = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  let offsetMinutes = 0;
  if (m[9] !== undefined) {
    const offHours = Number(m[10]);
    const offMinutes = m[11] === undefined ? 0 : Number(m[11]);
    if (offHours > 23 || offMinutes > 59) return null;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (offHours * 60 + offMinutes);
  }
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day); // not Date.UTC: it maps years 0..99 to 1900..1999
  d.setUTCHours(hour, minute, second, millis);
  return d.getTime() - offsetMinutes * 60_000;
}

/**
 * The fast path for `Date.prototype.toISOString()`'s own form, `yyyy-MM-ddTHH:mm:ss.sssZ`, which is
 * how rows hold their dates: a date condition or sort parses one per row, and this is several times
 * faster than the general RegExp (and than Date.parse). Null when `text` is not exactly that form.
 */
function parseCanonicalIso(text: string): number | null {
  if (
    text.charCodeAt(4) !== 45 /* - */ ||
    text.charCodeAt(7) !== 45 ||
    text.charCodeAt(10) !== 84 /* T */ ||
    text.charCodeAt(13) !== 58 /* : */ ||
    text.charCodeAt(16) !== 58 ||
    text.charCodeAt(19) !== 46 /* . */ ||
    text.charCodeAt(23) !== 90 /* Z */
  ) {
    return null;
  }
  const century = twoDigits(text, 0);
  const yy = twoDigits(text, 2);
  const month = twoDigits(text, 5);
  const day = twoDigits(text, 8);
  const hour = twoDigits(text, 11);
  const minute = twoDigits(text, 14);
  const second = twoDigits(text, 17);
  const ms = twoDigits(text, 20);
  const ms3 = text.charCodeAt(22) - 48;
  if ((century | yy | hour | minute | second | ms) < 0 || ms3 < 0 || ms3 > 9) return null;
  const year = century * 100 + yy;
  if (year < 100 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  return Date.UTC(year, month - 1, day, hour, minute, second, ms * 10 + ms3);
}

/** The two decimal digits at `i`, or -1. */
function twoDigits(text: string, i: number): number {
  const a = text.charCodeAt(i) - 48;
  const b = text.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

// The characters that are syntax in a `u`-mode RegExp (escaping anything else is an error there).
const REGEXP_SYNTAX = /[\\^$.*+?()[\]{}|/]/g;

/**
 * A SQL LIKE pattern as an anchored RegExp: `%` matches any run of characters (also none), `_` exactly
 * one character (code point); everything else is literal, including `\` (no escape character).
 * Case-sensitive, as `=` is.
 *
 * The reference definition of LIKE, for tests only: the engine must not use it. Its `.*` runs
 * backtrack: on a value that almost matches (`%a%a%a%b` on a long run of `a`) the time grows as the
 * value's length to the power of the number of `%`. The engine uses compileLike (like.ts), which
 * agrees with this on every pattern and value and never backtracks.
 */
export function likeToRegExp(pattern: string): RegExp {
  let source = '';
  for (const ch of pattern) {
    if (ch === '%') source += '.*';
    else if (ch === '_') source += '.';
    else source += ch.replace(REGEXP_SYNTAX, '\\$&');
  }
  return new RegExp(`^${source}$`, 'su');
}

/**
 * The list of an `in` / `not in` value, split as ZStack does (`value.split(",")` in Java, then each
 * item trimmed): trailing empty items are dropped, other empty items are kept, and a value made only
 * of commas becomes the single empty string.
 */
export function splitInValues(value: string): string[] {
  const parts = value.split(',');
  if (parts.length > 1) {
    while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  }
  if (parts.length === 0) return [''];
  return parts.map((p) => p.trim());
}
