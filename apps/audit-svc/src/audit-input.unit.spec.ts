import { AUDIT_RESOURCE_TYPES, GetResourceAsOfMsg, QueryAuditEventsMsg, validatePayload } from '@cp/contracts';
import { asOfOf, eventFilterOf } from './audit-input';
import { AUDITED_CATEGORIES } from './resource-kinds';

describe('eventFilterOf', () => {
  it('turns the checked texts into what the log reader takes', () => {
    const msg = validatePayload(QueryAuditEventsMsg, {
      resourceUuid: 'a'.repeat(32), resourceType: 'Account', eventType: 'AccountCreated', accountUuid: 'b'.repeat(32),
      from: '2026-01-15T08:00:00Z', to: '2026-01-15T10:00+01:00', after: '12345678901234567', limit: '0100',
    });
    expect(eventFilterOf(msg)).toEqual({
      resourceUuid: 'a'.repeat(32), resourceType: 'Account', eventType: 'AccountCreated', accountUuid: 'b'.repeat(32),
      from: new Date('2026-01-15T08:00:00Z'), to: new Date('2026-01-15T09:00:00Z'), after: 12345678901234567n, limit: 100,
    });
  });

  it('pages 100 events when no limit is given, from the start of the log', () => {
    expect(eventFilterOf(validatePayload(QueryAuditEventsMsg, {}))).toEqual({ limit: 100 });
  });
});

describe('asOfOf', () => {
  it('takes a decimal as a log position, anything else (checked) as a time', () => {
    expect(asOfOf(validatePayload(GetResourceAsOfMsg, { uuid: 'a'.repeat(32), asOf: '42' }))).toEqual({ position: 42n });
    expect(asOfOf(validatePayload(GetResourceAsOfMsg, { uuid: 'a'.repeat(32), asOf: '2026-01-15T08:00:00Z' })))
      .toEqual({ time: new Date('2026-01-15T08:00:00Z') });
  });
});

it('the audited categories are the resource types the Audit API declares, in its order', () => {
  expect(AUDITED_CATEGORIES.map((k) => k.resourceType)).toEqual([...AUDIT_RESOURCE_TYPES]);
});
