import { ZStackError } from '../errors';
import { AUDIT_APIS } from '../registry/audit';
import { queryParamsOf } from '../registry';
import { validatePayload } from '../validation';
import { AUDIT_RESOURCE_TYPES, GetResourceAsOfMsg, GetResourceHistoryMsg, QueryAuditEventsMsg } from './requests';

/** The refusal text of a payload, or null when it is accepted. */
function refusal(dto: new () => object, payload: Record<string, unknown>): string | null {
  try {
    validatePayload(dto, payload);
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(ZStackError);
    expect((error as ZStackError).code).toBe('SYS.1007');
    return (error as ZStackError).toBody().details ?? '';
  }
}

const UUID = '0123456789abcdef0123456789abcdef';
const events = (payload: Record<string, unknown>) => refusal(QueryAuditEventsMsg, payload);
const asOf = (payload: Record<string, unknown>) => refusal(GetResourceAsOfMsg, { uuid: UUID, ...payload });

describe('QueryAuditEventsMsg', () => {
  it('takes every filter as text, untrimmed', () => {
    const msg = validatePayload(QueryAuditEventsMsg, {
      resourceUuid: UUID, resourceType: 'Account', eventType: 'AccountCreated', accountUuid: UUID,
      from: '2026-01-15T08:00:00Z', to: '2026-01-15T09:00+01:00', after: '42', limit: '0100',
    });
    expect({ ...msg }).toEqual({
      resourceUuid: UUID, resourceType: 'Account', eventType: 'AccountCreated', accountUuid: UUID,
      from: '2026-01-15T08:00:00Z', to: '2026-01-15T09:00+01:00', after: '42', limit: '0100',
    });
    expect(events({})).toBeNull();
    expect(events({ limit: '1000' })).toBeNull();
    expect(events({ after: '0' })).toBeNull();
    // null is an absent field, as for every request.
    expect(events({ limit: null })).toBeNull();
  });

  it('refuses an unknown parameter first, naming it and the known ones', () => {
    const known = 'known: resourceUuid, resourceType, eventType, accountUuid, from, to, after, limit';
    expect(events({ limit: '0', sort: 'desc' })).toBe(`unknown query parameter[sort]; ${known}`);
    expect(events({ ['x'.repeat(150)]: 1 })).toBe(`unknown query parameter[${'x'.repeat(100)}]; ${known}`);
    expect(events(JSON.parse('{"__proto__": "x"}'))).toBe(`unknown query parameter[__proto__]; ${known}`);
  });

  it.each([
    [{ resourceUuid: 'xyz' }, 'query parameter[resourceUuid] must be a uuid of 32 lowercase hex digits'],
    [{ resourceUuid: ` ${UUID}` }, 'query parameter[resourceUuid] must be a uuid of 32 lowercase hex digits'],
    [{ resourceUuid: 5 }, 'query parameter[resourceUuid] must be given once, as text'],
    [{ resourceType: 'VM' }, `query parameter[resourceType] must be one of [${AUDIT_RESOURCE_TYPES.join(', ')}]`],
    [{ resourceType: '' }, `query parameter[resourceType] must be one of [${AUDIT_RESOURCE_TYPES.join(', ')}]`],
    [{ eventType: '1x' }, 'query parameter[eventType] must be an event type name such as AccountCreated'],
    [{ eventType: 'a'.repeat(129) }, 'query parameter[eventType] must be an event type name such as AccountCreated'],
    [{ accountUuid: '42' }, 'query parameter[accountUuid] must be a uuid of 32 lowercase hex digits'],
    [{ from: 'yesterday' }, 'query parameter[from] must be an ISO-8601 time such as 2026-01-15T08:00:00Z'],
    [{ from: '2026-01-15' }, 'query parameter[from] must be an ISO-8601 time such as 2026-01-15T08:00:00Z'],
    [{ to: '2026-13-45T00:00:00Z' }, 'query parameter[to] must be an ISO-8601 time such as 2026-01-15T08:00:00Z'],
    [{ from: '2026-01-05T00:00:00Z', to: '2026-01-04T00:00:00Z' }, 'query parameter[from] must not be after [to]'],
    [{ after: '-1' }, 'query parameter[after] must be a log position: a decimal number'],
    [{ after: '12345678901234567890' }, 'query parameter[after] must be a log position: a decimal number'],
    [{ after: 3 }, 'query parameter[after] must be given once, as text'],
    [{ limit: '0' }, 'query parameter[limit] must be an integer in 1..1000'],
    [{ limit: '1001' }, 'query parameter[limit] must be an integer in 1..1000'],
    [{ limit: '10000' }, 'query parameter[limit] must be an integer in 1..1000'],
    [{ limit: ' 5' }, 'query parameter[limit] must be an integer in 1..1000'],
    [{ limit: ['1'] }, 'query parameter[limit] must be given once, as text'],
  ])('refuses %j: %s', (payload, text) => {
    expect(events(payload)).toBe(text);
  });

  it('checks the filters in their order: uuid, type, event type, account, from, to, from before to, after, limit', () => {
    expect(events({ limit: '0', resourceType: 'VM', resourceUuid: 'xyz' })).toContain('query parameter[resourceUuid]');
    expect(events({ limit: '0', after: 'x' })).toContain('query parameter[after]');
    expect(events({ to: 'x', from: 'y' })).toContain('query parameter[from] must be an ISO-8601');
    expect(events({ from: 'x', to: '2026-01-01T00:00:00Z' })).toContain('query parameter[from] must be an ISO-8601');
    expect(events({ from: '2026-01-05T00:00:00Z', to: '2026-01-04T00:00:00Z', after: 'x' })).toBe('query parameter[from] must not be after [to]');
    expect(events({ from: '2026-01-05T00:00:00Z', to: 'bad' })).toContain('query parameter[to] must be an ISO-8601');
  });
});

describe('GetResourceAsOfMsg', () => {
  it('takes a log position or a time', () => {
    expect(asOf({ asOf: '3' })).toBeNull();
    expect(asOf({ asOf: '2026-01-15T08:00:00.123456789Z' })).toBeNull();
  });

  it.each([
    [{ asOf: 'soon' }, 'query parameter[asOf] must be an ISO-8601 time such as 2026-01-15T08:00:00Z'],
    [{ asOf: '' }, 'query parameter[asOf] must be an ISO-8601 time such as 2026-01-15T08:00:00Z'],
    [{ asOf: '2026-02-31T25:00:00Z' }, 'query parameter[asOf] must be an ISO-8601 time such as 2026-01-15T08:00:00Z'],
    [{ asOf: '12345678901234567890' }, 'query parameter[asOf] must be an ISO-8601 time such as 2026-01-15T08:00:00Z'],
    [{}, 'query parameter[asOf] is mandatory: an ISO-8601 time or a log position'],
    [{ asOf: null }, 'query parameter[asOf] is mandatory: an ISO-8601 time or a log position'],
    [{ asOf: 3 }, 'query parameter[asOf] must be given once'],
    [{ asOf: 'soon', x: 1 }, 'unknown query parameter[x]; known: asOf'],
    [{ asOf: 'soon', uuid: 'bad' }, 'query parameter[asOf] must be an ISO-8601 time such as 2026-01-15T08:00:00Z'],
    [{ asOf: '3', uuid: 'bad' }, 'the resource uuid must be 32 lowercase hex digits'],
  ])('refuses %j: %s', (payload, text) => {
    expect(asOf(payload)).toBe(text);
  });
});

describe('GetResourceHistoryMsg', () => {
  it('takes the path uuid, and ignores other keys', () => {
    expect(refusal(GetResourceHistoryMsg, { uuid: UUID, x: 1 })).toBeNull();
    for (const uuid of [undefined, 'bad', UUID.toUpperCase(), 5]) {
      expect(refusal(GetResourceHistoryMsg, { uuid })).toBe('the resource uuid must be 32 lowercase hex digits');
    }
  });
});

it('the routes take the query parameters of control-plane-api.md, derived from their request classes', () => {
  const byName = Object.fromEntries(AUDIT_APIS.map((api) => [api.name, queryParamsOf(api)]));
  expect(byName).toEqual({
    QueryAuditEvents: ['resourceUuid', 'resourceType', 'eventType', 'accountUuid', 'from', 'to', 'after', 'limit'],
    GetResourceHistory: [],
    GetResourceAsOf: ['asOf'],
  });
});
