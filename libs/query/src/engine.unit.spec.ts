import { ZStackError } from '@cp/contracts';
import {
  parseQueryString,
  queryByUuid,
  runQuery,
  type FieldSchema,
  type QueryRequest,
  type QueryResult,
  type QuerySource,
} from './index';

interface Vm {
  uuid: string;
  name: string;
  description?: string | null;
  cpuNum?: number | null;
  ha?: boolean;
  createDate?: string;
}

const SCHEMA: FieldSchema = {
  uuid: 'string',
  name: 'string',
  description: 'string',
  cpuNum: 'number',
  ha: 'boolean',
  createDate: 'date',
  content: 'string',
};

const VMS: Vm[] = [
  { uuid: 'u1', name: 'web-1', description: 'front end', cpuNum: 2, ha: true, createDate: '2024-01-01T00:00:00.000Z' },
  { uuid: 'u2', name: 'web-2', description: null, cpuNum: 10, ha: false, createDate: '2024-03-15T12:30:00.000Z' },
  { uuid: 'u3', name: 'db_1', description: '', cpuNum: 9, ha: true, createDate: '2023-12-31T23:59:59.999Z' },
  { uuid: 'u4', name: 'Web-3', cpuNum: null, ha: false },
  { uuid: 'u5', name: 'cache.(1)', description: 'a*b+c?[x]^$\\', cpuNum: 4, createDate: '2024-03-15T14:30:00+02:00' },
];

/** A scan-only source over `rows`. */
const scan = <T>(rows: T[]): QuerySource<T> => ({ all: () => rows });

/** Runs the query string `qs` over VMS. */
function query(qs: Record<string, string | string[]>, rows: object[] = VMS): QueryResult {
  return runQuery(scan(rows), parseQueryString(qs), SCHEMA);
}

/** The uuids a query string selects, in reply order. */
function uuids(qs: Record<string, string | string[]>, rows: object[] = VMS): string[] {
  return (query(qs, rows).inventories ?? []).map((r) => r.uuid as string);
}

/** The SYS.1007 thrown by `fn`, failing the test on anything else. */
function invalidArgumentOf(fn: () => unknown): ZStackError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ZStackError);
    expect((e as ZStackError).code).toBe('SYS.1007');
    return e as ZStackError;
  }
  throw new Error('expected a ZStackError, nothing was thrown');
}

const request = (over: Partial<QueryRequest> = {}): QueryRequest => ({
  conditions: [],
  limit: 1000,
  start: 0,
  count: false,
  replyWithCount: false,
  ...over,
});

describe('runQuery', () => {
  describe('without conditions', () => {
    it('returns every row in the source order, the same objects (not copies), inventories only', () => {
      const result = query({});
      expect(result).toEqual({ inventories: VMS });
      expect(result.inventories?.[0]).toBe(VMS[0]);
      expect(result).not.toHaveProperty('total');
    });
  });

  describe('string comparison', () => {
    it('= and != are exact and case-sensitive', () => {
      expect(uuids({ q: 'name=web-1' })).toEqual(['u1']);
      expect(uuids({ q: 'name=WEB-1' })).toEqual([]);
      expect(uuids({ q: 'name=web' })).toEqual([]);
      expect(uuids({ q: 'name!=web-1' })).toEqual(['u2', 'u3', 'u4', 'u5']);
    });

    it('keeps blanks of the value', () => {
      const rows = [{ uuid: 'a', name: ' x ' }, { uuid: 'b', name: 'x' }];
      expect(uuids({ q: 'name= x ' }, rows)).toEqual(['a']);
    });

    it('>, >=, <, <= are lexicographic (by UTF-16 code unit: upper case before lower case)', () => {
      expect(uuids({ q: 'name>web-1' })).toEqual(['u2']);
      expect(uuids({ q: 'name>=web-1' })).toEqual(['u1', 'u2']);
      expect(uuids({ q: 'name<cache.(1)' })).toEqual(['u4']);
      expect(uuids({ q: 'name<=cache.(1)' })).toEqual(['u4', 'u5']);
    });
  });

  describe('number comparison', () => {
    it('is numeric, not lexicographic', () => {
      expect(uuids({ q: 'cpuNum>9' })).toEqual(['u2']);
      expect(uuids({ q: 'cpuNum>=9' })).toEqual(['u2', 'u3']);
      expect(uuids({ q: 'cpuNum<4' })).toEqual(['u1']);
      expect(uuids({ q: 'cpuNum<=4' })).toEqual(['u1', 'u5']);
      expect(uuids({ q: 'cpuNum=10' })).toEqual(['u2']);
      expect(uuids({ q: 'cpuNum=10.0' })).toEqual(['u2']);
      expect(uuids({ q: 'cpuNum=1e1' })).toEqual(['u2']);
      expect(uuids({ q: 'cpuNum!=10' })).toEqual(['u1', 'u3', 'u5']);
    });

    it('ignores blanks around a number', () => {
      expect(uuids({ q: 'cpuNum= 10 ' })).toEqual(['u2']);
    });

    it('in / not in compare numerically too', () => {
      expect(uuids({ q: 'cpuNum?=2, 10,4.0' })).toEqual(['u1', 'u2', 'u5']);
      expect(uuids({ q: 'cpuNum!?=2,10' })).toEqual(['u3', 'u5']);
    });

    it.each(['abc', '', '0x10', 'Infinity', '1,2'])('an unparsable number %j is SYS.1007 naming the field', (v) => {
      const e = invalidArgumentOf(() => query({ q: `cpuNum=${v}` }));
      expect(e.details).toContain('field[cpuNum]');
      expect(e.details).toContain(`value[${v}]`);
    });

    it('an unparsable item of an in list is SYS.1007 naming the field', () => {
      expect(invalidArgumentOf(() => query({ q: 'cpuNum?=1,,2' })).details).toContain('field[cpuNum]');
    });
  });

  describe('boolean comparison', () => {
    it('takes true/false, case-insensitive', () => {
      expect(uuids({ q: 'ha=true' })).toEqual(['u1', 'u3']);
      expect(uuids({ q: 'ha=FALSE' })).toEqual(['u2', 'u4']);
      expect(uuids({ q: 'ha!=true' })).toEqual(['u2', 'u4']); // u5 has no ha: null matches no !=
    });

    it('anything else is SYS.1007 naming the field', () => {
      expect(invalidArgumentOf(() => query({ q: 'ha=yes' })).details).toContain('field[ha]');
    });
  });

  describe('date comparison', () => {
    it('takes ISO-8601 values', () => {
      expect(uuids({ q: 'createDate>=2024-01-01T00:00:00Z' })).toEqual(['u1', 'u2', 'u5']);
      expect(uuids({ q: 'createDate>=2024-01-01' })).toEqual(['u1', 'u2', 'u5']);
      expect(uuids({ q: 'createDate<2024-01-01T00:00:00.000Z' })).toEqual(['u3']);
      expect(uuids({ q: 'createDate=2024-03-15T14:30:00+02:00' })).toEqual(['u2', 'u5']);
    });

    it("takes ZStack's yyyy-MM-dd HH:mm:ss, as UTC", () => {
      expect(uuids({ q: 'createDate=2024-03-15 12:30:00' })).toEqual(['u2', 'u5']);
      expect(uuids({ q: 'createDate>2023-12-31 23:59:59' })).toEqual(['u1', 'u2', 'u3', 'u5']);
      expect(uuids({ q: 'createDate>2023-12-31 23:59:59.999' })).toEqual(['u1', 'u2', 'u5']);
    });

    it('takes epoch milliseconds', () => {
      const ms = Date.parse('2024-03-15T12:30:00.000Z');
      expect(uuids({ q: `createDate=${ms}` })).toEqual(['u2', 'u5']);
      expect(uuids({ q: `createDate>${ms - 1}` })).toEqual(['u2', 'u5']);
    });

    it('compares instants, whatever the rows\' ISO form (offsets, with or without millis)', () => {
      expect(uuids({ q: 'createDate>2024-03-15T12:00:00Z' })).toEqual(['u2', 'u5']);
      expect(uuids({ q: `createDate?=2024-01-01,${Date.parse('2024-03-15T12:30:00Z')}` })).toEqual(['u1', 'u2', 'u5']);
    });

    it.each(['yesterday', '2024-13-01', '2024-02-30', '2024-01-01T25:00:00Z', '15/03/2024', ''])(
      'an unparsable date %j is SYS.1007 naming the field',
      (v) => {
        const e = invalidArgumentOf(() => query({ q: `createDate>${v}` }));
        expect(e.details).toContain('field[createDate]');
      },
    );
  });

  describe('in / not in', () => {
    it('in matches any listed value', () => {
      expect(uuids({ q: 'uuid?=u1,u3,nope' })).toEqual(['u1', 'u3']);
    });

    it('not in matches none of them, and never a null', () => {
      expect(uuids({ q: 'description!?=front end' })).toEqual(['u3', 'u5']);
    });

    it('an empty item is the empty string', () => {
      expect(uuids({ q: 'description?=,front end' })).toEqual(['u1', 'u3']);
    });
  });

  describe('like / not like', () => {
    it('% matches any run of characters, also none', () => {
      expect(uuids({ q: 'name~=web%' })).toEqual(['u1', 'u2']);
      expect(uuids({ q: 'name~=%1%' })).toEqual(['u1', 'u3', 'u5']);
      expect(uuids({ q: 'name~=web-1%' })).toEqual(['u1']);
      expect(uuids({ q: 'name~=%' })).toEqual(['u1', 'u2', 'u3', 'u4', 'u5']);
    });

    it('_ matches exactly one character', () => {
      expect(uuids({ q: 'name~=web-_' })).toEqual(['u1', 'u2']);
      expect(uuids({ q: 'name~=web_' })).toEqual([]);
      expect(uuids({ q: 'name~=db__' })).toEqual(['u3']); // and _ in the value also matches a literal _
    });

    it('without wildcards is exact, and case-sensitive', () => {
      expect(uuids({ q: 'name~=web' })).toEqual([]);
      expect(uuids({ q: 'name~=web-3' })).toEqual([]);
      expect(uuids({ q: 'name~=Web-3' })).toEqual(['u4']);
    });

    it('takes regular-expression characters literally', () => {
      expect(uuids({ q: 'name~=cache.(1)' })).toEqual(['u5']);
      expect(uuids({ q: 'name~=cache_(1)' })).toEqual(['u5']);
      expect(uuids({ q: 'name~=cacheX(1)' })).toEqual([]); // . is not "any character"
      expect(uuids({ q: 'description~=a*b+c?[x]^$\\' })).toEqual(['u5']);
      expect(uuids({ q: 'description~=a.*' })).toEqual([]);
      expect(uuids({ q: 'description~=%[x]%' })).toEqual(['u5']);
    });

    it('% also spans line breaks', () => {
      expect(uuids({ q: 'description~=a%c' }, [{ uuid: 'n', description: 'a\nb\nc' }])).toEqual(['n']);
    });

    it('not like is the complement, without the nulls', () => {
      expect(uuids({ q: 'name!~=web%' })).toEqual(['u3', 'u4', 'u5']);
      expect(uuids({ q: 'description!~=front%' })).toEqual(['u3', 'u5']);
    });

    it('on a field that is not a string is SYS.1007 naming the field', () => {
      const e = invalidArgumentOf(() => query({ q: 'cpuNum~=1%' }));
      expect(e.details).toBe('operator[like] is not supported on field[cpuNum] of type number');
    });
  });

  describe('is null / not null', () => {
    it('is null matches null and absent values, not the empty string', () => {
      expect(uuids({ q: 'description is null' })).toEqual(['u2', 'u4']);
      expect(uuids({ q: 'cpuNum is null' })).toEqual(['u4']);
    });

    it('not null matches every present value, the empty string included', () => {
      expect(uuids({ q: 'description not null' })).toEqual(['u1', 'u3', 'u5']);
    });
  });

  describe('null semantics (SQL): a null or absent value matches only is null', () => {
    it.each([
      'description!=x',
      'description!?=x',
      'description!~=x',
      'description>',
      'description<~',
      'cpuNum!=1',
      'cpuNum>-1000',
      'cpuNum<1000',
      'createDate<9999-01-01',
      'createDate!=0',
    ])('%s leaves out the rows without the field', (q) => {
      const nullRows = q.startsWith('description') ? ['u2', 'u4'] : ['u4'];
      const selected = uuids({ q });
      for (const u of nullRows) expect(selected).not.toContain(u);
      expect(selected.length).toBeGreaterThan(0);
    });
  });

  describe('several conditions', () => {
    it('are ANDed', () => {
      expect(uuids({ q: ['name~=web%', 'cpuNum>5'] })).toEqual(['u2']);
      expect(uuids({ q: ['name~=web%', 'cpuNum>50'] })).toEqual([]);
    });
  });

  describe('paging', () => {
    const many = Array.from({ length: 1500 }, (_, i) => ({ uuid: `r${i}`, name: `n${i}` }));

    it('returns at most 1000 rows by default', () => {
      expect(query({}, many).inventories).toHaveLength(1000);
    });

    it('limit and start select a page of the matches', () => {
      expect(uuids({ limit: '2' })).toEqual(['u1', 'u2']);
      expect(uuids({ limit: '2', start: '1' })).toEqual(['u2', 'u3']);
      expect(uuids({ start: '3' })).toEqual(['u4', 'u5']);
      expect(uuids({ q: 'name~=web%', start: '1' })).toEqual(['u2']);
      expect(uuids({ start: '99' })).toEqual([]);
      expect(uuids({ limit: '0' })).toEqual([]);
      expect(query({}, many).inventories?.[999]).toBe(many[999]);
      expect(uuids({ start: '1400' }, many)).toHaveLength(100);
    });
  });

  describe('count and replyWithCount', () => {
    it('count replies only the total of the matches, ignoring limit and start', () => {
      expect(query({ count: 'true' })).toEqual({ total: 5 });
      expect(query({ count: 'true', q: 'name~=web%', limit: '1', start: '1' })).toEqual({ total: 2 });
      expect(query({ count: 'true', fields: 'name', sort: 'name' })).toEqual({ total: 5 });
    });

    it('count wins over replyWithCount', () => {
      expect(query({ count: 'true', replyWithCount: 'true' })).toEqual({ total: 5 });
    });

    it('replyWithCount adds the total of the matches before limit and start', () => {
      const result = query({ replyWithCount: 'true', q: 'cpuNum not null', limit: '2', start: '1' });
      expect(result.total).toBe(4);
      expect(result.inventories?.map((r) => r.uuid)).toEqual(['u2', 'u3']);
      expect(query({ replyWithCount: 'true', limit: '0' })).toEqual({ inventories: [], total: 5 });
      expect(query({ replyWithCount: 'true', q: 'name=none' })).toEqual({ inventories: [], total: 0 });
    });
  });

  describe('sort', () => {
    it('sorts ascending by +field or a bare field, descending by -field', () => {
      expect(uuids({ sort: '+name' })).toEqual(['u4', 'u5', 'u3', 'u1', 'u2']);
      expect(uuids({ sort: 'name' })).toEqual(['u4', 'u5', 'u3', 'u1', 'u2']);
      expect(uuids({ sort: '-name' })).toEqual(['u2', 'u1', 'u3', 'u5', 'u4']);
    });

    it('sorts numbers numerically and dates by instant', () => {
      expect(uuids({ sort: 'cpuNum', q: 'cpuNum not null' })).toEqual(['u1', 'u5', 'u3', 'u2']);
      // u5 (14:30+02:00) is the same instant as u2 (12:30Z): the tie keeps the source order.
      expect(uuids({ sort: 'createDate', q: 'createDate not null' })).toEqual(['u3', 'u1', 'u2', 'u5']);
      expect(uuids({ sort: '-createDate', q: 'createDate not null' })).toEqual(['u2', 'u5', 'u1', 'u3']);
    });

    it('puts nulls first ascending and last descending (MySQL order)', () => {
      expect(uuids({ sort: 'cpuNum' })).toEqual(['u4', 'u1', 'u5', 'u3', 'u2']);
      expect(uuids({ sort: '-cpuNum' })).toEqual(['u2', 'u3', 'u5', 'u1', 'u4']);
      expect(uuids({ sort: 'description' })).toEqual(['u2', 'u4', 'u3', 'u5', 'u1']);
    });

    it('is stable in both directions', () => {
      const rows = [
        { uuid: 'a', cpuNum: 1 },
        { uuid: 'b', cpuNum: 2 },
        { uuid: 'c', cpuNum: 1 },
        { uuid: 'd' },
        { uuid: 'e', cpuNum: 2 },
        { uuid: 'f' },
      ];
      expect(uuids({ sort: 'cpuNum' }, rows)).toEqual(['d', 'f', 'a', 'c', 'b', 'e']);
      expect(uuids({ sort: '-cpuNum' }, rows)).toEqual(['b', 'e', 'a', 'c', 'd', 'f']);
    });

    it('pages after sorting, and counts all the matches', () => {
      expect(query({ sort: '-name', start: '1', limit: '2', replyWithCount: 'true' })).toEqual({
        inventories: [VMS[0], VMS[2]],
        total: 5,
      });
    });

    it('on an unknown field is SYS.1007 naming it', () => {
      expect(invalidArgumentOf(() => query({ sort: '-memorySize' })).details).toBe(
        'sort field[memorySize] is invalid, no such field',
      );
    });
  });

  describe('fields (projection)', () => {
    it('keeps only the asked fields, in the row\'s own order', () => {
      expect(query({ fields: 'cpuNum,uuid', limit: '1' }).inventories).toEqual([{ uuid: 'u1', cpuNum: 2 }]);
      expect(Object.keys(query({ fields: 'cpuNum,uuid', limit: '1' }).inventories?.[0] ?? {})).toEqual(['uuid', 'cpuNum']);
    });

    it('omits null and absent values', () => {
      expect(query({ fields: 'uuid,description,cpuNum', q: 'uuid?=u2,u4' }).inventories).toEqual([
        { uuid: 'u2', cpuNum: 10 },
        { uuid: 'u4' },
      ]);
    });

    it('copies the row, it does not change it', () => {
      const result = query({ fields: 'uuid', limit: '1' });
      expect(result.inventories?.[0]).not.toBe(VMS[0]);
      expect(VMS[0].name).toBe('web-1');
    });

    it('never reads a field that was not asked for, in filtering, sorting or projecting', () => {
      const row = { uuid: 'big', name: 'blob', cpuNum: 1 } as Record<string, unknown>;
      Object.defineProperty(row, 'content', {
        enumerable: true,
        get() {
          throw new Error('content must not be read');
        },
      });
      const rows = [row, { uuid: 'small', name: 'a', cpuNum: 2 }];
      expect(query({ fields: 'name,uuid', q: ['name~=%', 'cpuNum>0'], sort: 'name', replyWithCount: 'true' }, rows)).toEqual({
        inventories: [
          { uuid: 'small', name: 'a' },
          { uuid: 'big', name: 'blob' },
        ],
        total: 2,
      });
      // Without `fields` the row is handed out as is: still not read.
      expect(query({ q: 'uuid=big' }, rows).inventories?.[0]).toBe(row);
    });

    it('includes an asked field that is a getter of the row\'s class', () => {
      class Doc {
        constructor(readonly uuid: string) {}
        get name(): string {
          return `doc-${this.uuid}`;
        }
        get content(): string {
          throw new Error('content must not be read');
        }
      }
      expect(query({ fields: 'uuid,name', q: 'name=doc-x' }, [new Doc('x'), new Doc('y')]).inventories).toEqual([
        { uuid: 'x', name: 'doc-x' },
      ]);
    });

    it('with an unknown name is SYS.1007 naming it', () => {
      expect(invalidArgumentOf(() => query({ fields: 'uuid,memorySize' })).details).toBe(
        "field[memorySize] in 'fields' is invalid, no such field",
      );
    });
  });

  describe('uuid lookup', () => {
    const byUuid = new Map(VMS.map((v) => [v.uuid, v]));
    const indexed: QuerySource<Vm> = {
      all: () => {
        throw new Error('must not scan');
      },
      get: (uuid) => byUuid.get(uuid),
    };

    it('answers uuid=<x> with get(x) instead of a scan', () => {
      expect(runQuery(indexed, queryByUuid('u2'), SCHEMA)).toEqual({ inventories: [VMS[1]] });
      expect(runQuery(indexed, queryByUuid('nope'), SCHEMA)).toEqual({ inventories: [] });
    });

    it('still applies the other conditions, paging and counting to the row found', () => {
      const q = (qs: Record<string, string | string[]>) => runQuery(indexed, parseQueryString(qs), SCHEMA);
      expect(q({ q: ['uuid=u2', 'cpuNum>5'] })).toEqual({ inventories: [VMS[1]] });
      expect(q({ q: ['cpuNum<5', 'uuid=u2'] })).toEqual({ inventories: [] });
      expect(q({ q: 'uuid=u2', count: 'true' })).toEqual({ total: 1 });
      expect(q({ q: 'uuid=u2', fields: 'name' })).toEqual({ inventories: [{ name: 'web-2' }] });
      expect(q({ q: 'uuid=u2', start: '1' })).toEqual({ inventories: [] });
    });

    it('scans a source without get, and scans for other uuid operators', () => {
      expect(runQuery(scan(VMS), queryByUuid('u3'), SCHEMA)).toEqual({ inventories: [VMS[2]] });
      const both: QuerySource<Vm> = { all: () => VMS, get: () => VMS[0] };
      expect(runQuery(both, parseQueryString({ q: 'uuid?=u2' }), SCHEMA).inventories).toEqual([VMS[1]]);
    });
  });

  describe('one pass, stopping early', () => {
    /** A source that counts the rows it hands out. */
    function counting(rows: object[]) {
      const source = {
        pulled: 0,
        *all() {
          for (const row of rows) {
            source.pulled++;
            yield row;
          }
        },
      };
      return source;
    }

    it('stops once start+limit rows matched when there is neither sort nor total', () => {
      const source = counting(VMS);
      runQuery(source, parseQueryString({ q: 'name~=%', start: '1', limit: '2' }), SCHEMA);
      expect(source.pulled).toBe(3);
    });

    it('reads everything when a sort or a total needs it', () => {
      for (const qs of [{ limit: '1', sort: 'name' }, { limit: '1', replyWithCount: 'true' }, { count: 'true' }]) {
        const source = counting(VMS);
        runQuery(source, parseQueryString(qs), SCHEMA);
        expect(source.pulled).toBe(5);
      }
    });

    it('validates and compiles the conditions before reading any row', () => {
      const source = counting(VMS);
      invalidArgumentOf(() => runQuery(source, parseQueryString({ q: ['name=a', 'cpuNum=x'] }), SCHEMA));
      expect(source.pulled).toBe(0);
    });
  });

  describe('unknown fields and invalid requests (SYS.1007)', () => {
    // ZStack answers SYS.1000 for a condition on an unknown field; we answer SYS.1007 on purpose.
    it('a condition on an unknown field names it', () => {
      const e = invalidArgumentOf(() => query({ q: 'memorySize>1' }));
      expect(e.details).toContain('condition name[memorySize] is invalid');
      expect(e.details).toContain('[uuid, name, description, cpuNum, ha, createDate, content]');
    });

    it('for every operator, is null included', () => {
      expect(invalidArgumentOf(() => query({ q: 'memorySize is null' })).details).toContain('name[memorySize]');
      expect(invalidArgumentOf(() => query({ q: 'memorySize?=1' })).details).toContain('name[memorySize]');
    });

    it('the properties every object inherits are not fields', () => {
      expect(invalidArgumentOf(() => query({ q: 'constructor=x' })).details).toContain('name[constructor]');
      expect(invalidArgumentOf(() => query({ sort: 'toString' })).details).toContain('field[toString]');
      expect(invalidArgumentOf(() => query({ fields: 'hasOwnProperty' })).details).toContain('field[hasOwnProperty]');
    });

    it('dotted (expanded) names are unknown fields', () => {
      expect(invalidArgumentOf(() => query({ q: 'vmNics.ip=10.0.0.1' })).details).toContain('name[vmNics.ip]');
    });

    it('the precedence rule can leave an odd field name, reported as it was read', () => {
      // description=a>=b is read as (description=a) >= (b), as ZStack reads it
      expect(invalidArgumentOf(() => query({ q: 'description=a>=b' })).details).toContain('name[description=a]');
      expect(invalidArgumentOf(() => query({ q: 'name is not null' })).details).toContain('name[name is]');
      expect(invalidArgumentOf(() => query({ q: ' =x' })).details).toContain('name[]');
    });

    it('a malformed request (it comes over the bus) is rejected, not run', () => {
      expect(invalidArgumentOf(() => runQuery(scan(VMS), request({ limit: -1 }), SCHEMA)).details).toContain("'limit'");
      expect(invalidArgumentOf(() => runQuery(scan(VMS), request({ start: 1.5 }), SCHEMA)).details).toContain("'start'");
      const bad = (c: unknown) => runQuery(scan(VMS), request({ conditions: [c as never] }), SCHEMA);
      expect(invalidArgumentOf(() => bad({ field: 'name', op: '==', value: 'x' })).details).toContain('operator[==]');
      expect(invalidArgumentOf(() => bad({ field: 'name', op: '=' })).details).toContain('has no value');
      expect(invalidArgumentOf(() => bad({ field: 'name', op: 'in' })).details).toContain('has no list of values');
      expect(
        invalidArgumentOf(() =>
          runQuery(scan(VMS), request({ sort: { field: 'name', direction: 'up' as never } }), SCHEMA),
        ).details,
      ).toContain('direction[up]');
      expect(invalidArgumentOf(() => runQuery(scan(VMS), request({ fields: [] }), SCHEMA)).details).toContain("'fields'");
    });

    it('a programmatic in condition may give its list as a comma-separated value', () => {
      const r = runQuery(scan(VMS), request({ conditions: [{ field: 'uuid', op: 'in', value: 'u1, u2' }] }), SCHEMA);
      expect(r.inventories?.map((v) => v.uuid)).toEqual(['u1', 'u2']);
    });
  });
});
