import { likeToRegExp, parseDate, parseNumber, splitInValues } from './values';

describe('parseDate', () => {
  const at = (iso: string) => Date.parse(iso);

  it.each([
    ['2024-03-15', at('2024-03-15T00:00:00Z')],
    ['2024-03-15T12:30', at('2024-03-15T12:30:00Z')],
    ['2024-03-15T12:30:00', at('2024-03-15T12:30:00Z')], // no zone: UTC (not the host's zone)
    ['2024-03-15T12:30:00Z', at('2024-03-15T12:30:00Z')],
    ['2024-03-15T12:30:00.5Z', at('2024-03-15T12:30:00.500Z')],
    ['2024-03-15T12:30:00.123456789Z', at('2024-03-15T12:30:00.123Z')],
    ['2024-03-15t12:30:00z', at('2024-03-15T12:30:00Z')],
    ['2024-03-15T14:30:00+02:00', at('2024-03-15T12:30:00Z')],
    ['2024-03-15T14:30:00+0200', at('2024-03-15T12:30:00Z')],
    ['2024-03-15T10:30:00-02', at('2024-03-15T12:30:00Z')],
    ['2024-03-15 12:30:00', at('2024-03-15T12:30:00Z')],
    ['2024-03-15 12:30:00.250', at('2024-03-15T12:30:00.250Z')],
    ['2024-02-29 00:00:00', at('2024-02-29T00:00:00Z')],
    ['0', 0],
    ['1710505800000', at('2024-03-15T12:30:00Z')],
    ['-1000', -1000],
    ['0050-01-01', at('0050-01-01T00:00:00Z')], // year 50, not 1950
    // toISOString()'s own form (the rows' form, parsed by a fast path)
    ['2024-03-15T12:30:00.000Z', at('2024-03-15T12:30:00Z')],
    ['1999-12-31T23:59:59.999Z', at('1999-12-31T23:59:59.999Z')],
    ['2024-02-29T00:00:00.007Z', at('2024-02-29T00:00:00.007Z')],
    ['0050-01-01T00:00:00.000Z', at('0050-01-01T00:00:00Z')],
  ])('%s', (text, expected) => {
    expect(parseDate(text)).toBe(expected);
  });

  it.each([
    '',
    ' 2024-03-15',
    'now',
    '2024-3-15',
    '2024-00-10',
    '2024-13-10',
    '2023-02-29',
    '2024-04-31',
    '2024-03-15T24:00:00Z',
    '2024-03-15T12:60:00Z',
    '2024-03-15T12:30:60Z',
    '2024-03-15T12:30:00+25:00',
    '2023-02-29T00:00:00.000Z',
    '2024-13-01T00:00:00.000Z',
    '2024-03-15T12:30:00.00xZ',
    '2024-03-15T12:30:00.000X',
    '2024-03-15T12:30:00 UTC',
    '15/03/2024',
    '1e12',
    '99999999999999999999',
  ])('rejects %j', (text) => {
    expect(parseDate(text)).toBeNull();
  });
});

describe('parseNumber', () => {
  it('reads decimal numbers only', () => {
    expect(parseNumber('42')).toBe(42);
    expect(parseNumber('-1.5')).toBe(-1.5);
    expect(parseNumber('+.5')).toBe(0.5);
    expect(parseNumber('1e3')).toBe(1000);
    for (const bad of ['', ' 1', '0x1f', '1_000', 'Infinity', 'NaN', '1e999', '.', '-']) expect(parseNumber(bad)).toBeNull();
  });
});

describe('likeToRegExp', () => {
  it('anchors the pattern and translates only % and _', () => {
    expect(likeToRegExp('a%b_c').test('aXYZbQc')).toBe(true);
    expect(likeToRegExp('a%b_c').test('xaXbQc')).toBe(false);
    expect(likeToRegExp('%').test('')).toBe(true);
    expect(likeToRegExp('_').test('')).toBe(false);
    expect(likeToRegExp('_').test('é')).toBe(true);
    expect(likeToRegExp('_').test('😀')).toBe(true); // one character, not one UTF-16 unit
  });

  it('escapes every regular-expression character', () => {
    const specials = '\\^$.*+?()[]{}|/-';
    const re = likeToRegExp(specials);
    expect(re.test(specials)).toBe(true);
    expect(re.test('x' + specials)).toBe(false);
    expect(likeToRegExp('a\\%').test('a\\anything')).toBe(true); // \ is literal, not an escape
  });
});

describe('splitInValues', () => {
  it("splits as Java's String.split(\",\") then trims each item", () => {
    expect(splitInValues('a')).toEqual(['a']);
    expect(splitInValues('')).toEqual(['']);
    expect(splitInValues(' a , b ')).toEqual(['a', 'b']);
    expect(splitInValues(',a')).toEqual(['', 'a']);
    expect(splitInValues('a,,b')).toEqual(['a', '', 'b']);
    expect(splitInValues('a,b,,')).toEqual(['a', 'b']);
    expect(splitInValues('a, ')).toEqual(['a', '']);
    expect(splitInValues(',,')).toEqual(['']);
  });
});
