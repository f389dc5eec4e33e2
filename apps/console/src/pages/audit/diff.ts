/**
 * A field-by-field diff of two versions of a resource (its inventory as the Audit API returns it):
 * nested objects flattened to dotted paths (`config.network.mtu`), array items by index
 * (`tags[0]`). Pure: no React, no DOM (diff.unit.spec.ts).
 *
 * Secrets: the API has already replaced them (`"[redacted]"`) before they reach the console; the
 * diff shows that text as it is and never tries to tell two redacted values apart (they compare
 * equal: whether the secret itself changed cannot be known from the audit, and is said so).
 */

/** The text the Audit API puts in place of a secret (apps/audit-svc/src/audit-log.ts `redact`). */
export const REDACTED = '[redacted]';

export type Scalar = string | number | boolean | null;

export type DiffKind = 'changed' | 'added' | 'removed' | 'unchanged';

export interface DiffEntry {
  /** The dotted path of the field (`description`, `config.port`, `tags[1]`). */
  path: string;
  kind: DiffKind;
  /** The value at A (absent for `added`). */
  before?: Scalar;
  /** The value at B (absent for `removed`). */
  after?: Scalar;
  /** Either side is a redacted secret: shown as the API redacts it, never revealed. */
  redacted: boolean;
}

export interface DiffSummary {
  changed: number;
  added: number;
  removed: number;
  unchanged: number;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

const keyPath = (prefix: string, key: string) => {
  // A key that would read as path syntax is bracketed and quoted, so two paths never collide.
  const plain = /^[A-Za-z_$][\w$-]*$/.test(key);
  if (!plain) return `${prefix}[${JSON.stringify(key)}]`;
  return prefix === '' ? key : `${prefix}.${key}`;
};

/**
 * A value flattened to `path → scalar`: objects by key, arrays by index. An empty object or array
 * is a leaf of its own (`{}` / `[]` as text), so "became empty" still shows. `undefined` is left out
 * (JSON has no such value); any other non-JSON value is turned into its text.
 */
export function flatten(value: unknown, prefix = ''): Map<string, Scalar> {
  const out = new Map<string, Scalar>();
  const walk = (v: unknown, path: string) => {
    if (v === undefined) return;
    if (Array.isArray(v)) {
      if (v.length === 0) out.set(path, '[]');
      v.forEach((item, i) => walk(item, `${path}[${i}]`));
      return;
    }
    if (isPlainObject(v)) {
      const keys = Object.keys(v);
      if (keys.length === 0 && path !== '') out.set(path, '{}');
      for (const key of keys) walk(v[key], keyPath(path, key));
      return;
    }
    if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out.set(path, v);
    else out.set(path, String(v));
  };
  if (value === null || value === undefined) return out;
  if (!isPlainObject(value) && !Array.isArray(value)) {
    walk(value, prefix === '' ? '(value)' : prefix);
    return out;
  }
  walk(value, prefix);
  return out;
}

const isRedacted = (value: Scalar | undefined) => value === REDACTED;

/**
 * The fields of A and B compared: every path of either side, sorted by path, each `changed`,
 * `added` (only at B), `removed` (only at A) or `unchanged`. A missing version (`null`: the resource
 * did not exist at that point) has no fields: everything is added or removed.
 */
export function diffVersions(a: unknown, b: unknown): DiffEntry[] {
  const left = flatten(a);
  const right = flatten(b);
  const paths = [...new Set([...left.keys(), ...right.keys()])].sort(comparePaths);
  return paths.map((path): DiffEntry => {
    const inA = left.has(path);
    const inB = right.has(path);
    const before = left.get(path);
    const after = right.get(path);
    const redacted = isRedacted(before) || isRedacted(after);
    if (inA && !inB) return { path, kind: 'removed', before, redacted };
    if (!inA && inB) return { path, kind: 'added', after, redacted };
    return { path, kind: Object.is(before, after) ? 'unchanged' : 'changed', before, after, redacted };
  });
}

/** How many fields of each kind. */
export function summarize(entries: readonly DiffEntry[]): DiffSummary {
  const summary: DiffSummary = { changed: 0, added: 0, removed: 0, unchanged: 0 };
  for (const e of entries) summary[e.kind]++;
  return summary;
}

/** Paths in reading order: by segment, array indexes numerically (`tags[2]` before `tags[10]`). */
export function comparePaths(a: string, b: string): number {
  const split = (p: string) => p.split(/(\d+)/).map((s, i) => (i % 2 === 1 ? Number(s) : s));
  const x = split(a);
  const y = split(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] === y[i]) continue;
    if (typeof x[i] === 'number' && typeof y[i] === 'number') return (x[i] as number) - (y[i] as number);
    return String(x[i]) < String(y[i]) ? -1 : 1;
  }
  return x.length - y.length;
}

/** A scalar as the diff shows it: strings quoted (so `""` and `"null"` differ from null), the rest as JSON. */
export function showScalar(value: Scalar | undefined): string {
  if (value === undefined) return '—';
  if (value === REDACTED) return REDACTED;
  return JSON.stringify(value);
}
