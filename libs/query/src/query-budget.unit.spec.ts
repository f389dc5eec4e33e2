import { ZStackError } from '@cp/contracts';
import { DEFAULT_QUERY_TIME_LIMIT_MS, parseQueryString, runQuery, type FieldSchema, type QueryOptions, type QuerySource } from './index';

const SCHEMA: FieldSchema = { uuid: 'string', name: 'string', description: 'string' };

interface Row {
  uuid: string;
  name: string;
  description: string;
}

const ROWS: Row[] = Array.from({ length: 20_000 }, (_, i) => ({
  uuid: `u${i}`,
  name: `vm-${i % 97}`,
  description: 'a'.repeat(i % 50),
}));

const scan = <T>(rows: T[]): QuerySource<T> => ({ all: () => rows });

function run(qs: Record<string, string | string[]>, options?: QueryOptions, rows: Row[] = ROWS) {
  return runQuery(scan(rows), parseQueryString(qs), SCHEMA, options);
}

/** The ZStackError thrown by `fn`, failing the test on anything else. */
function errorOf(fn: () => unknown): ZStackError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ZStackError);
    return e as ZStackError;
  }
  throw new Error('expected a ZStackError, nothing was thrown');
}

describe('the time budget of a query', () => {
  it('defaults to 1000 ms', () => {
    expect(DEFAULT_QUERY_TIME_LIMIT_MS).toBe(1000);
    // A clock that moves 999 ms at every read: within the default budget at the first check, past it at the second.
    let now = 0;
    const e = errorOf(() => run({ q: 'name~=%9%' }, { clock: () => (now += 999) }));
    expect(e.details).toContain('longer than 1000 ms');
  });

  it('a query over many rows with a budget of 0 ms fails with a clear SYS.1006, not an internal error', () => {
    const e = errorOf(() => run({ q: 'description~=%a%b%', replyWithCount: 'true' }, { timeLimitMs: 0 }));
    expect(e.code).toBe('SYS.1006');
    expect(e.details).toBe(
      'the query took longer than 0 ms and was stopped; narrow it with q conditions (simpler ~= patterns) or a smaller limit',
    );
  });

  it('a query over many rows with a budget of 1 ms fails once the clock has moved past it', () => {
    let now = 0;
    const tick1ms = { timeLimitMs: 1, clock: () => now++ };
    const e = errorOf(() => run({ count: 'true' }, tick1ms));
    expect(e.code).toBe('SYS.1006');
    expect(e.details).toContain('longer than 1 ms');
  });

  it('is not reached by a query that stays within it', () => {
    const frozen = { timeLimitMs: 1, clock: () => 0 };
    expect(run({ count: 'true' }, frozen)).toEqual({ total: ROWS.length });
    const vm3 = ROWS.filter((r) => r.name === 'vm-3').sort((a, b) => (a.uuid < b.uuid ? 1 : -1));
    expect(run({ q: 'name=vm-3', sort: '-uuid', replyWithCount: 'true', limit: '2' }, frozen)).toEqual({
      inventories: vm3.slice(0, 2),
      total: vm3.length,
    });
    let now = 0;
    expect(run({ count: 'true' }, { timeLimitMs: Infinity, clock: () => (now += 1e9) })).toEqual({ total: ROWS.length });
  });

  it('also bounds the sort', () => {
    // The clock stands still while the rows are scanned and jumps once the scan is over.
    let scanned = false;
    const source: QuerySource<Row> = {
      *all() {
        yield* ROWS;
        scanned = true;
      },
    };
    const clock = () => (scanned ? 5000 : 0);
    const e = errorOf(() => runQuery(source, parseQueryString({ sort: '+name' }), SCHEMA, { timeLimitMs: 1000, clock }));
    expect(e.code).toBe('SYS.1006');
    expect(scanned).toBe(true);
  });

  it('also bounds the LIKE scan of one long value', () => {
    // A single row: the budget is checked inside the value's scan, not only between rows.
    let reads = 0;
    const clock = () => (reads++ === 0 ? 0 : 5000);
    const row: Row = { uuid: 'u', name: 'n', description: 'a'.repeat(200_000) };
    const e = errorOf(() => run({ q: `description~=%${'a_'.repeat(50)}b_%` }, { timeLimitMs: 1000, clock }, [row]));
    expect(e.code).toBe('SYS.1006');
  });

  it('answers a LIKE that would backtrack at once: 2,048 a against %a%a%b', () => {
    const rows: Row[] = [
      { uuid: 'normal', name: 'n', description: 'a'.repeat(2048) },
      { uuid: 'other', name: 'n', description: 'aab' },
    ];
    expect(run({ q: 'description~=%a%a%b' }, undefined, rows).inventories?.map((r) => r.uuid)).toEqual(['other']);
    expect(run({ q: 'description~=%a%a%a%a%a%a%a%a%a%a%b' }, undefined, rows).inventories).toEqual([]);
    expect(run({ q: 'description!~=%a%a%a%a%a%a%a%a%a%a%b' }, undefined, rows).inventories?.map((r) => r.uuid)).toEqual([
      'normal',
      'other',
    ]);
  });
});
