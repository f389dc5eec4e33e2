import { RestError } from '@cp/contracts';
import { DEFAULT_LIMIT, QUERY_OPERATORS, parseCondition, parseQueryString, queryByUuid } from './index';

/** The RestError thrown by `fn`, failing the test if it throws anything else or nothing. */
function restErrorOf(fn: () => unknown): RestError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(RestError);
    return e as RestError;
  }
  throw new Error('expected a RestError, nothing was thrown');
}

describe('parseQueryString', () => {
  describe('defaults', () => {
    it('is every row, limit 1000, from 0, no count, no sort, no projection', () => {
      expect(parseQueryString({})).toEqual({
        conditions: [],
        limit: 1000,
        start: 0,
        count: false,
        replyWithCount: false,
      });
      expect(DEFAULT_LIMIT).toBe(1000);
    });

    it('is plain data that survives JSON (it travels over NATS)', () => {
      const r = parseQueryString({ q: ['name=a', 'uuid?=x,y', 'description is null'], sort: '-name', fields: 'uuid,name' });
      expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    });
  });

  describe('which parameters count', () => {
    it('ignores unknown parameters, groupBy and filterName', () => {
      expect(parseQueryString({ groupBy: 'type', filterName: 'x', foo: 'bar', limit: '5' })).toEqual(
        parseQueryString({ limit: '5' }),
      );
    });

    it('uses only the first value of a repeated parameter other than q', () => {
      expect(parseQueryString({ limit: ['5', 'x'], sort: ['-name', '+uuid'] })).toMatchObject({
        limit: 5,
        sort: { field: 'name', direction: 'desc' },
      });
    });

    it('uses every q, ANDed, in order', () => {
      expect(parseQueryString({ q: ['name=a', 'type!=b'] }).conditions).toEqual([
        { field: 'name', op: '=', value: 'a' },
        { field: 'type', op: '!=', value: 'b' },
      ]);
    });

    it('skips undefined values and trims parameter names and (non-q) values, as ZStack', () => {
      expect(parseQueryString({ limit: undefined, ' start ': ' 7 ' })).toMatchObject({ limit: 1000, start: 7 });
    });
  });

  describe('limit and start', () => {
    it('are integers', () => {
      expect(parseQueryString({ limit: '10', start: '20' })).toMatchObject({ limit: 10, start: 20 });
      expect(parseQueryString({ limit: '0', start: '+3' })).toMatchObject({ limit: 0, start: 3 });
    });

    it.each(['abc', '', '1.5', '1e3', '0x10', '2147483648'])('limit=%j is a 400', (v) => {
      const e = restErrorOf(() => parseQueryString({ limit: v }));
      expect(e.status).toBe(400);
      expect(e.message).toBe("Invalid query parameter. 'limit' must be an integer");
    });

    it('start=abc is a 400', () => {
      const e = restErrorOf(() => parseQueryString({ start: 'abc' }));
      expect(e.status).toBe(400);
      expect(e.message).toBe("Invalid query parameter. 'start' must be an integer");
    });

    it('a negative limit or start is a 400', () => {
      expect(restErrorOf(() => parseQueryString({ limit: '-1' })).message).toBe(
        "Invalid query parameter. 'limit' must not be negative",
      );
      expect(restErrorOf(() => parseQueryString({ start: '-5' })).message).toBe(
        "Invalid query parameter. 'start' must not be negative",
      );
    });
  });

  describe('count and replyWithCount', () => {
    it('are true/false, case-insensitive', () => {
      expect(parseQueryString({ count: 'TRUE', replyWithCount: 'True' })).toMatchObject({ count: true, replyWithCount: true });
      expect(parseQueryString({ count: 'false', replyWithCount: 'FALSE' })).toMatchObject({ count: false, replyWithCount: false });
    });

    it.each([
      ['count', 'yes'],
      ['count', ''],
      ['replyWithCount', '1'],
    ])('%s=%j is a 400', (name, v) => {
      const e = restErrorOf(() => parseQueryString({ [name]: v }));
      expect(e.status).toBe(400);
      expect(e.message).toBe(`Invalid query parameter. '${name}' must be a boolean, true or false`);
    });
  });

  describe('sort', () => {
    it('is +field ascending, -field descending, bare field ascending', () => {
      expect(parseQueryString({ sort: '+name' }).sort).toEqual({ field: 'name', direction: 'asc' });
      expect(parseQueryString({ sort: '-name' }).sort).toEqual({ field: 'name', direction: 'desc' });
      expect(parseQueryString({ sort: 'name' }).sort).toEqual({ field: 'name', direction: 'asc' });
    });

    it('reads a + that arrived as a blank (an unencoded + in a URL) as ascending', () => {
      expect(parseQueryString({ sort: ' name' }).sort).toEqual({ field: 'name', direction: 'asc' });
    });

    it('without a field name is a 400', () => {
      for (const v of ['', '+', '-']) {
        const e = restErrorOf(() => parseQueryString({ sort: v }));
        expect(e.status).toBe(400);
        expect(e.message).toBe("Invalid query parameter. 'sort' must name a field, as +field or -field");
      }
    });
  });

  describe('fields', () => {
    it('is a comma-separated list, trimmed, blanks and duplicates dropped', () => {
      expect(parseQueryString({ fields: 'uuid, name,,uuid,' }).fields).toEqual(['uuid', 'name']);
    });

    it('empty is a 400', () => {
      for (const v of ['', ' ', ',', ' , ']) {
        const e = restErrorOf(() => parseQueryString({ fields: v }));
        expect(e.status).toBe(400);
        expect(e.message).toBe("Invalid query parameter. 'fields' must not be empty");
      }
    });
  });
});

describe('parseCondition (one q)', () => {
  it('lists the operators in ZStack precedence order', () => {
    expect(QUERY_OPERATORS.map(([d]) => d)).toEqual([
      '!=', '>=', '<=', '!?=', '!~=', '~=', '?=', '=', '>', '<', 'is null', 'not null',
    ]);
  });

  describe('each operator', () => {
    it.each([
      ['name!=vm1', { field: 'name', op: '!=', value: 'vm1' }],
      ['cpuNum>=2', { field: 'cpuNum', op: '>=', value: '2' }],
      ['cpuNum<=2', { field: 'cpuNum', op: '<=', value: '2' }],
      ['uuid!?=a,b', { field: 'uuid', op: 'not in', values: ['a', 'b'] }],
      ['name!~=vm%', { field: 'name', op: 'not like', value: 'vm%' }],
      ['name~=vm%', { field: 'name', op: 'like', value: 'vm%' }],
      ['uuid?=a,b', { field: 'uuid', op: 'in', values: ['a', 'b'] }],
      ['name=vm1', { field: 'name', op: '=', value: 'vm1' }],
      ['cpuNum>2', { field: 'cpuNum', op: '>', value: '2' }],
      ['cpuNum<2', { field: 'cpuNum', op: '<', value: '2' }],
      ['description is null', { field: 'description', op: 'is null' }],
      ['description not null', { field: 'description', op: 'is not null' }],
    ])('%s', (q, expected) => {
      expect(parseCondition(q)).toEqual(expected);
    });
  });

  describe('names and values', () => {
    it('trims the name but not the value', () => {
      expect(parseCondition('  name = vm 1 ')).toEqual({ field: 'name', op: '=', value: ' vm 1 ' });
    });

    it('keeps an empty value', () => {
      expect(parseCondition('description=')).toEqual({ field: 'description', op: '=', value: '' });
    });

    it('splits an in list on commas, trimming items, as ZStack', () => {
      expect(parseCondition('uuid?= a , b,c').values).toEqual(['a', 'b', 'c']);
      expect(parseCondition('name?=a,,b').values).toEqual(['a', '', 'b']);
      // Java's split drops trailing empty items; a value of only commas is the one empty string.
      expect(parseCondition('name?=a,b,,').values).toEqual(['a', 'b']);
      expect(parseCondition('name?=,,,').values).toEqual(['']);
      expect(parseCondition('name?=').values).toEqual(['']);
    });

    it('ignores whatever follows is null / not null, as ZStack', () => {
      expect(parseCondition('description is null whatever')).toEqual({ field: 'description', op: 'is null' });
    });
  });

  describe('precedence: the first operator (in the list order) found anywhere in the condition wins', () => {
    it('a later operator inside the value is just value text', () => {
      expect(parseCondition('description=a>b')).toEqual({ field: 'description', op: '=', value: 'a>b' });
      expect(parseCondition('description=x<y')).toEqual({ field: 'description', op: '=', value: 'x<y' });
      expect(parseCondition('name~=a?=b')).toEqual({ field: 'name', op: 'like', value: 'a?=b' });
      expect(parseCondition('description=this is null')).toEqual({ field: 'description', op: '=', value: 'this is null' });
      expect(parseCondition('name=a=b')).toEqual({ field: 'name', op: '=', value: 'a=b' });
    });

    it('an earlier operator inside the value takes over: the name swallows the intended operator', () => {
      // The compatibility contract: ZStack reads these exactly so (and then fails on the odd field name).
      expect(parseCondition('description=a>=b')).toEqual({ field: 'description=a', op: '>=', value: 'b' });
      expect(parseCondition('description=a!=b')).toEqual({ field: 'description=a', op: '!=', value: 'b' });
      expect(parseCondition('name?=a~=b')).toEqual({ field: 'name?=a', op: 'like', value: 'b' });
      expect(parseCondition('uuid!?=a<=b')).toEqual({ field: 'uuid!?=a', op: '<=', value: 'b' });
      expect(parseCondition('name>x=y')).toEqual({ field: 'name>x', op: '=', value: 'y' });
    });

    it('"is not null" is not an operator: "not null" is, and "name is" becomes the field', () => {
      expect(parseCondition('name is not null')).toEqual({ field: 'name is', op: 'is not null' });
    });

    it('the longer operators contain the shorter ones and are matched first', () => {
      expect(parseCondition('a!=b').op).toBe('!=');
      expect(parseCondition('a!?=b').op).toBe('not in');
      expect(parseCondition('a!~=b').op).toBe('not like');
      expect(parseCondition('a>=b').op).toBe('>=');
    });
  });

  describe('splitting, as commons-lang splitByWholeSeparator(cond, op, 2)', () => {
    it('collapses adjacent separators: name==x is name = x', () => {
      expect(parseCondition('name==x')).toEqual({ field: 'name', op: '=', value: 'x' });
      expect(parseCondition('name===x')).toEqual({ field: 'name', op: '=', value: 'x' });
    });

    it('keeps separators after the first value character: name=x==y is name = x==y', () => {
      expect(parseCondition('name=x==y')).toEqual({ field: 'name', op: '=', value: 'x==y' });
    });
  });

  describe('errors', () => {
    it('no operator is a 400 listing the operators', () => {
      const e = restErrorOf(() => parseQueryString({ q: 'name' }));
      expect(e.status).toBe(400);
      expect(e.message).toBe(
        "Invalid query parameter. The 'name' in the parameter[q] doesn't contain any query operator." +
          ' Valid query operators are [!=, >=, <=, !?=, !~=, ~=, ?=, =, >, <, is null, not null]',
      );
    });

    it('"IS NULL" is not an operator (case matters)', () => {
      expect(restErrorOf(() => parseCondition('name IS NULL')).status).toBe(400);
    });

    it('an operator with nothing before it is a 400', () => {
      for (const q of ['=x', '==x']) {
        const e = restErrorOf(() => parseCondition(q));
        expect(e.status).toBe(400);
        expect(e.message).toBe(`Invalid query parameter. The '${q}' in parameter[q] is not a key-value pair split by =`);
      }
      expect(restErrorOf(() => parseCondition('?=a,b')).message).toBe(
        "Invalid query parameter. The '?=a,b' in parameter[q] is not a key-value pair split by ?=",
      );
    });

    it('a blank name is not a syntax error here (the engine reports the unknown field)', () => {
      expect(parseCondition(' =x')).toEqual({ field: '', op: '=', value: 'x' });
    });
  });
});

describe('queryByUuid', () => {
  it('is uuid=<uuid> with the defaults', () => {
    expect(queryByUuid('abc')).toEqual({
      conditions: [{ field: 'uuid', op: '=', value: 'abc' }],
      limit: 1000,
      start: 0,
      count: false,
      replyWithCount: false,
    });
  });
});
