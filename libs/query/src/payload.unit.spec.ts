import { ZStackError } from '@cp/contracts';
import { parseQueryString, requestFromPayload } from './index';

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

describe('requestFromPayload (a QueryRequest off the bus)', () => {
  it('reads back what the gateway parsed and sent as JSON', () => {
    const sent = parseQueryString({
      q: ['name~=web%', 'uuid?=a,b', 'description is null'],
      limit: '5',
      start: '2',
      replyWithCount: 'true',
      sort: '-name',
      fields: 'uuid,name',
    });
    expect(requestFromPayload(JSON.parse(JSON.stringify(sent)))).toEqual(sent);
  });

  it('fills absent keys with the query-string defaults', () => {
    expect(requestFromPayload({})).toEqual({ conditions: [], limit: 1000, start: 0, count: false, replyWithCount: false });
  });

  it('keeps only the known keys', () => {
    const r = requestFromPayload({ conditions: [{ field: 'a', op: '=', value: 'x', extra: 1 }], groupBy: 'x' });
    expect(r).toEqual({ conditions: [{ field: 'a', op: '=', value: 'x' }], limit: 1000, start: 0, count: false, replyWithCount: false });
  });

  it.each([
    [null, 'must be an object'],
    [[], 'must be an object'],
    [{ conditions: {} }, "'conditions' must be a list"],
    [{ conditions: [{ field: 'a', op: 'equals', value: 'x' }] }, 'op one of [=, !=, >, >=, <, <=, in, not in, like, not like, is null, is not null]'],
    [{ conditions: [{ op: '=', value: 'x' }] }, 'a query condition must be'],
    [{ conditions: [{ field: 'a', op: '=', value: 1 }] }, 'field[a] must be a string'],
    [{ conditions: [{ field: 'a', op: 'in', values: 'x,y' }] }, 'field[a] must be a list of strings'],
    [{ limit: '10' }, "'limit' must be a non-negative integer"],
    [{ limit: -1 }, "'limit' must be a non-negative integer"],
    [{ start: 0.5 }, "'start' must be a non-negative integer"],
    [{ count: 'true' }, "'count' must be a boolean"],
    [{ replyWithCount: 1 }, "'replyWithCount' must be a boolean"],
    [{ sort: '-name' }, "'sort' must be"],
    [{ sort: { field: 'name', direction: 'down' } }, "'sort' must be"],
    [{ fields: [] }, "'fields' must be a non-empty list"],
    [{ fields: 'uuid' }, "'fields' must be a non-empty list"],
  ])('rejects %j with SYS.1007', (payload, details) => {
    expect(invalidArgumentOf(() => requestFromPayload(payload)).details).toContain(details);
  });
});
