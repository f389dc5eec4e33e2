/** JSON with object keys sorted: two models equal in content print the same. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The first path at which two JSON values differ, with both values there; null when equal. */
export function firstDifference(a: unknown, b: unknown, path = ''): { path: string; live: unknown; rebuilt: unknown } | null {
  if (stableJson(a) === stableJson(b)) return null;
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) {
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path ? `${path}.${k}` : k);
      if (d) return d;
    }
  }
  return { path: path || '(root)', live: a, rebuilt: b };
}

interface Row {
  uuid: string;
  version: string;
  state: unknown;
}

/** Every difference between a live model's rows and a rebuilt one's, one line each. */
export function diffRows(model: string, live: Row[], rebuilt: Row[]): string[] {
  const lines: string[] = [];
  const liveBy = new Map(live.map((r) => [r.uuid, r]));
  const rebuiltBy = new Map(rebuilt.map((r) => [r.uuid, r]));
  const show = (v: unknown) => JSON.stringify(v)?.slice(0, 200);
  for (const [uuid, row] of liveBy) {
    const other = rebuiltBy.get(uuid);
    if (!other) {
      lines.push(`${model}: ${uuid} is in the live model but not in the log`);
      continue;
    }
    const d = firstDifference({ version: row.version, state: row.state }, { version: other.version, state: other.state });
    if (d) lines.push(`${model}: ${uuid} differs at ${d.path}: live ${show(d.live)}, rebuilt from the log ${show(d.rebuilt)}`);
  }
  for (const uuid of rebuiltBy.keys()) if (!liveBy.has(uuid)) lines.push(`${model}: ${uuid} is in the log but missing from the live model`);
  return lines;
}
