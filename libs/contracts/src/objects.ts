/**
 * A copy of `o` without its `undefined` fields (ZStack omits null fields on the wire), in the same
 * key order. A plain loop: replays run it for every event.
 */
export function omitUndefined<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const key in o) {
    const value = (o as Record<string, unknown>)[key];
    if (value !== undefined) out[key] = value;
  }
  return out as T;
}
