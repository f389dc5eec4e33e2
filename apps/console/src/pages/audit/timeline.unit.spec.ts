import { changeAt, changeText, clampPoint, defaultPair, pointOfPosition, pointText, sliderMarks } from './timeline';

const history = ['5', '9', '12', '40'].map((position) => ({ position }));

describe('the resource timeline', () => {
  it('marks every point, labelling the first, the last and evenly spaced ones in between', () => {
    expect(sliderMarks(0)).toEqual([]);
    expect(sliderMarks(1)).toEqual([{ value: 0, label: '#1' }]);
    expect(sliderMarks(3)).toEqual([{ value: 0, label: '#1' }, { value: 1, label: '#2' }, { value: 2, label: '#3' }]);
    const many = sliderMarks(100, 5);
    expect(many).toHaveLength(100);
    expect(many.filter((m) => m.label).map((m) => m.value)).toEqual([0, 25, 50, 74, 99]);
  });

  it('finds the point of a log position, the last one otherwise', () => {
    expect(pointOfPosition(history, '12')).toBe(2);
    expect(pointOfPosition(history, '13')).toBe(3);
    expect(pointOfPosition(history, null)).toBe(3);
    expect(pointOfPosition([], '1')).toBe(0);
  });

  it('keeps an index in range', () => {
    expect(clampPoint(-1, 4)).toBe(0);
    expect(clampPoint(9, 4)).toBe(3);
    expect(clampPoint(Number.NaN, 4)).toBe(0);
    expect(clampPoint(1.7, 4)).toBe(1);
  });

  it('diffs the first and the last point unless others are chosen', () => {
    expect(defaultPair(history, null, null)).toEqual({ a: 0, b: 3 });
    expect(defaultPair(history, '9', '12')).toEqual({ a: 1, b: 2 });
    expect(defaultPair(history, 'nope', '5')).toEqual({ a: 0, b: 0 });
    expect(defaultPair([], null, null)).toEqual({ a: 0, b: 0 });
  });

  it('names a point by its number, type and time', () => {
    expect(pointText({ type: 'AccountUpdated', occurredAt: 'T' }, 1, (t) => `at ${t}`)).toBe('#2 AccountUpdated (at T)');
  });
});

describe('what each point of a timeline changed', () => {
  const points = [
    { inventory: { name: 'a', description: 'x', lastOpDate: '1' } },
    { inventory: { name: 'a', description: 'y', lastOpDate: '2' } },
    { inventory: { name: 'a', description: 'y', lastOpDate: '2' } },
    {},
    { inventory: { name: 'b' } },
  ];

  it('names the changed fields since the previous point, a creation and a deletion', () => {
    expect(changeAt(points, 0)).toEqual({ kind: 'created' });
    expect(changeAt(points, 1)).toEqual({ kind: 'fields', paths: ['description', 'lastOpDate'] });
    expect(changeAt(points, 2)).toEqual({ kind: 'fields', paths: [] });
    expect(changeAt(points, 3)).toEqual({ kind: 'deleted' });
    // Back after a deletion (a point with no inventory before it): a creation again.
    expect(changeAt(points, 4)).toEqual({ kind: 'created' });
  });

  it('says it in a few words', () => {
    expect(changeText({ kind: 'created' })).toBe('created');
    expect(changeText({ kind: 'fields', paths: [] })).toBe('no field changed');
    expect(changeText({ kind: 'fields', paths: ['a', 'b', 'c', 'd', 'e', 'f'] })).toBe('a, b, c, d and 2 more');
    expect(changeText({ kind: 'fields', paths: ['a', 'b'] }, 2)).toBe('a, b');
  });
});
