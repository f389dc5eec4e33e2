import { diffRows, firstDifference, stableJson } from './diff';

describe('replay --verify differences', () => {
  it('ignores key order and names the first differing path', () => {
    expect(stableJson({ b: 1, a: [{ d: 1, c: 2 }] })).toBe(stableJson({ a: [{ c: 2, d: 1 }], b: 1 }));
    expect(firstDifference({ a: { b: 1, c: 2 } }, { a: { c: 2, b: 3 } })).toEqual({ path: 'a.b', live: 1, rebuilt: 3 });
    expect(firstDifference({ a: 1 }, { a: 1 })).toBeNull();
  });

  it('lists rows that differ, are missing or are extra', () => {
    const live = [{ uuid: 'u1', version: '3', state: { name: 'x' } }, { uuid: 'u2', version: '1', state: {} }];
    const rebuilt = [{ uuid: 'u1', version: '3', state: { name: 'y' } }, { uuid: 'u3', version: '1', state: {} }];
    expect(diffRows('m', live, rebuilt)).toEqual([
      'm: u1 differs at state.name: live "x", rebuilt from the log "y"',
      'm: u2 is in the live model but not in the log',
      'm: u3 is in the log but missing from the live model',
    ]);
  });
});
