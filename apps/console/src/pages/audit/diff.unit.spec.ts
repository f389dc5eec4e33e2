import { comparePaths, diffVersions, flatten, REDACTED, showScalar, summarize } from './diff';

describe('the audit diff', () => {
  it('flattens nested objects to dotted paths and arrays by index', () => {
    const flat = flatten({ name: 'a', config: { network: { mtu: 1500 }, tags: ['x', 'y'] }, empty: {}, none: [], gone: undefined, n: null });
    expect([...flat.entries()]).toEqual([
      ['name', 'a'], ['config.network.mtu', 1500], ['config.tags[0]', 'x'], ['config.tags[1]', 'y'], ['empty', '{}'], ['none', '[]'], ['n', null],
    ]);
  });

  it('brackets keys that would read as path syntax', () => {
    expect([...flatten({ 'a.b': 1, 'x y': { z: 2 } }).keys()]).toEqual(['["a.b"]', '["x y"].z']);
  });

  it('tells changed, added, removed and unchanged fields apart, sorted by path', () => {
    const a = { uuid: 'u', description: 'first', config: { port: 443, host: 'h' }, tags: ['a'] };
    const b = { uuid: 'u', description: 'second', config: { port: 8443 }, tags: ['a', 'b'], state: 'Enabled' };
    expect(diffVersions(a, b)).toEqual([
      { path: 'config.host', kind: 'removed', before: 'h', redacted: false },
      { path: 'config.port', kind: 'changed', before: 443, after: 8443, redacted: false },
      { path: 'description', kind: 'changed', before: 'first', after: 'second', redacted: false },
      { path: 'state', kind: 'added', after: 'Enabled', redacted: false },
      { path: 'tags[0]', kind: 'unchanged', before: 'a', after: 'a', redacted: false },
      { path: 'tags[1]', kind: 'added', after: 'b', redacted: false },
      { path: 'uuid', kind: 'unchanged', before: 'u', after: 'u', redacted: false },
    ]);
  });

  it('keeps redacted secrets redacted: never revealed, two redactions compare equal', () => {
    const entries = diffVersions({ credential: { passwordHash: REDACTED } }, { credential: { passwordHash: REDACTED }, user: 'x' });
    expect(entries[0]).toEqual({ path: 'credential.passwordHash', kind: 'unchanged', before: REDACTED, after: REDACTED, redacted: true });
    // A secret that appears is added, shown as the API redacted it.
    expect(diffVersions({}, { passwordHash: REDACTED })).toEqual([{ path: 'passwordHash', kind: 'added', after: REDACTED, redacted: true }]);
    expect(showScalar(REDACTED)).toBe(REDACTED);
  });

  it('diffs against a missing version (the resource did not exist): all added or all removed', () => {
    expect(diffVersions(null, { a: 1 }).map((e) => e.kind)).toEqual(['added']);
    expect(diffVersions({ a: 1, b: { c: 2 } }, undefined).map((e) => e.kind)).toEqual(['removed', 'removed']);
    expect(diffVersions(null, null)).toEqual([]);
  });

  it('compares types strictly: "1" and 1, null and "null", [] and an array with items', () => {
    expect(diffVersions({ a: '1', b: null }, { a: 1, b: 'null' }).map((e) => e.kind)).toEqual(['changed', 'changed']);
    expect(diffVersions({ t: [] }, { t: ['x'] })).toEqual([
      { path: 't', kind: 'removed', before: '[]', redacted: false },
      { path: 't[0]', kind: 'added', after: 'x', redacted: false },
    ]);
  });

  it('counts each kind', () => {
    expect(summarize(diffVersions({ a: 1, b: 2, c: 3 }, { a: 1, b: 5, d: 4 }))).toEqual({ changed: 1, added: 1, removed: 1, unchanged: 1 });
  });

  it('orders array indexes numerically', () => {
    expect(['t[10]', 't[2]', 't[1]', 'a'].sort(comparePaths)).toEqual(['a', 't[1]', 't[2]', 't[10]']);
  });

  it('shows strings quoted, other scalars as JSON, a missing side as a dash', () => {
    expect(showScalar('x')).toBe('"x"');
    expect(showScalar('')).toBe('""');
    expect(showScalar(null)).toBe('null');
    expect(showScalar(3)).toBe('3');
    expect(showScalar(undefined)).toBe('—');
  });
});
