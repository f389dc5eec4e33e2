import { cleanFilter, recentFrom, exportFileName, exportPath, filterOfParams, PAGE_SIZE, pageSizeOf, paramsOfFilter, summarizeEvent } from './filters';

const UUID = '0123456789abcdef0123456789abcdef';

describe('the audit explorer filters', () => {
  it('reads the filters and the page from the URL, empty values left out', () => {
    const params = new URLSearchParams(`resourceUuid=${UUID}&eventType=&from=2026-01-01T00:00Z&after=42&other=x`);
    expect(filterOfParams(params)).toEqual({ filter: { resourceUuid: UUID, from: '2026-01-01T00:00Z' }, after: '42', limit: 50 });
    expect(filterOfParams(new URLSearchParams('limit=2'))).toEqual({ filter: {}, after: null, limit: 2 });
  });

  it('takes a page size in 1..1000 only', () => {
    expect(pageSizeOf('1000')).toBe(1000);
    expect(pageSizeOf('1')).toBe(1);
    for (const bad of ['0', '1001', '-1', '2.5', 'x', '', null]) expect(pageSizeOf(bad)).toBe(PAGE_SIZE);
  });

  it('writes them back, in a fixed order, the page last', () => {
    expect(paramsOfFilter({ to: 'b', resourceType: 'Account' }, '7').toString()).toBe('resourceType=Account&to=b&after=7');
    expect(paramsOfFilter({}).toString()).toBe('');
    expect(paramsOfFilter({ eventType: 'X' }, '9', 20).toString()).toBe('eventType=X&limit=20&after=9');
    expect(paramsOfFilter({}, null, PAGE_SIZE).toString()).toBe('');
  });

  it('trims the form drafts and drops empty ones', () => {
    expect(cleanFilter({ resourceUuid: `  ${UUID} `, eventType: '', accountUuid: null, from: ' ' })).toEqual({ resourceUuid: UUID });
  });

  it('exports the filter without the page (every page is streamed)', () => {
    expect(exportPath({ accountUuid: UUID })).toBe(`/api/v1/audit/events?accountUuid=${UUID}`);
    expect(exportPath({})).toBe('/api/v1/audit/events');
    expect(exportFileName(new Date('2026-01-02T03:04:05.678Z'))).toBe('audit-events-2026-01-02T03-04-05-678Z.ndjson');
  });

  it('summarizes an event\'s data in one line, without its own uuid', () => {
    expect(summarizeEvent({ resourceUuid: UUID, data: { uuid: UUID, description: 'first', count: 2, on: true, config: { a: 1 }, x: null } }))
      .toBe('description="first", count=2, on=true, config: {…}, x=null');
    expect(summarizeEvent({ resourceUuid: UUID, data: { text: 'y'.repeat(100) } })).toBe(`text="${'y'.repeat(39)}…"`);
    expect(summarizeEvent({ resourceUuid: UUID, data: Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`field${i}`, i])) }).length).toBe(140);
    expect(summarizeEvent({ resourceUuid: UUID })).toBe('');
  });

  it('writes a recent range\'s start as the API takes it', () => {
    expect(recentFrom(new Date('2026-01-02T03:04:05.678Z'), 3600_000)).toBe('2026-01-02T02:04:05Z');
  });
});
