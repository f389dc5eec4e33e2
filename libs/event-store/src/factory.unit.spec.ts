import { maxAppendSizeOf } from './factory';

describe('maxAppendSizeOf', () => {
  it('is unset by default (each adapter keeps its server default) and reads EVENT_STORE_MAX_APPEND_SIZE', () => {
    expect(maxAppendSizeOf({})).toBeUndefined();
    expect(maxAppendSizeOf({ EVENT_STORE_MAX_APPEND_SIZE: '' })).toBeUndefined();
    expect(maxAppendSizeOf({ EVENT_STORE_MAX_APPEND_SIZE: '16777216' })).toBe(16_777_216);
  });

  it.each(['0', '-1', '1.5', '1e6', 'lots'])('refuses %j', (text) => {
    expect(() => maxAppendSizeOf({ EVENT_STORE_MAX_APPEND_SIZE: text })).toThrow(/EVENT_STORE_MAX_APPEND_SIZE/);
  });
});
