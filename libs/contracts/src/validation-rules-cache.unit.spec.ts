import { getMetadataStorage } from 'class-validator';
import { ZStackError } from './errors';
import { ApiParam, apiParams, validatePayload } from './validation';

const refusal = (dto: new () => object, payload: Record<string, unknown>): string | undefined => {
  try {
    validatePayload(dto, payload);
    return undefined;
  } catch (error) {
    return (error as ZStackError).toBody().details;
  }
};

describe('validation rules kept per class (cacheValidationRules)', () => {
  class APIBaseTestMsg {
    @ApiParam({ required: true, maxLength: 5 }) name!: string;
  }

  it('a class declared after a validation brings its own and its inherited rules', () => {
    expect(refusal(APIBaseTestMsg, { name: 'abcdefgh' })).toMatch(/exceeds max length/);
    expect(refusal(APIBaseTestMsg, { name: 'abc' })).toBeUndefined();

    class APIChildTestMsg extends APIBaseTestMsg {
      @ApiParam({ type: 'int', required: true, numberRange: [1, 3] }) count!: number;
    }

    expect(refusal(APIChildTestMsg, { name: 'abc', count: 9 })).toMatch(/field\[count\] of message\[APIChildTestMsg\] must be in range of \[1, 3\]/);
    expect(refusal(APIChildTestMsg, { name: 'abcdefgh', count: 2 })).toMatch(/field\[name\].*exceeds max length/);
    expect(refusal(APIChildTestMsg, { name: 'abc', count: 2 })).toBeUndefined();
    // The parent's rules did not take the child's.
    expect(refusal(APIBaseTestMsg, { name: 'abc', count: 9 })).toBeUndefined();
    expect(apiParams(APIChildTestMsg).map((p) => p.name)).toEqual(['name', 'count']);
    expect(apiParams(APIBaseTestMsg).map((p) => p.name)).toEqual(['name']);
  });

  it('answers the same rules as class-validator for the lookups it keeps, and passes the others through', () => {
    class APIGroupsTestMsg {
      @ApiParam({ required: true }) label!: string;
    }
    const storage = getMetadataStorage();
    const kept = storage.getTargetValidationMetadatas(APIGroupsTestMsg, '', false, false);
    expect(kept.map((m) => m.propertyName)).toEqual(['label', 'label']);
    expect(storage.getTargetValidationMetadatas(APIGroupsTestMsg, '', false, false)).toBe(kept);
    // A lookup with groups is class-validator's own (rules without groups are left out unless `always`).
    expect(storage.getTargetValidationMetadatas(APIGroupsTestMsg, '', false, true, ['g'])).toEqual([]);
  });
});
