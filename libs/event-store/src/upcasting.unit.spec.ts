import { EVENT_SCHEMA_VERSIONS, EVENT_UPCASTERS } from '@cp/contracts';
import { InMemoryEventStore } from './in-memory';
import type { EventMetadata, StoredEvent } from './port';
import { EventVersions, UpcastingEventStore } from './upcasting';

const metadata: EventMetadata = { commandId: 'c', correlationId: 'c', causationId: 'c', actor: { accountUuid: null, via: 'system' }, occurredAt: 'now' };
const stored = (type: string, schemaVersion: number, data: Record<string, unknown>): StoredEvent =>
  ({ eventId: 'e', streamId: 's-1', type, schemaVersion, data, metadata, position: 1n, streamVersion: 1n });

describe('event versions', () => {
  const versions = new EventVersions({ Renamed: 3 }, [
    { type: 'Renamed', from: 1, up: (d) => ({ ...d, name: d.title }) },
    { type: 'Renamed', from: 2, up: ({ title: _t, ...d }) => ({ ...d, by: 'unknown' }) },
  ]);

  it('brings an old event through every upcaster since, and leaves current ones alone', () => {
    expect(versions.upcast(stored('Renamed', 1, { title: 'a' }))).toMatchObject({ schemaVersion: 3, data: { name: 'a', by: 'unknown' } });
    const current = stored('Renamed', 3, { name: 'b', by: 'x' });
    expect(versions.upcast(current)).toBe(current);
    expect(versions.upcast(stored('Other', 1, { x: 1 })).data).toEqual({ x: 1 });
  });

  it('refuses a version without the upcasters to reach it', () => {
    expect(() => new EventVersions({ Renamed: 2 }, [])).toThrow(/no upcaster from 1/);
  });

  it('stamps appends with the current version and upcasts every read', async () => {
    const inner = new InMemoryEventStore();
    const store = new UpcastingEventStore(inner, new EventVersions(EVENT_SCHEMA_VERSIONS, EVENT_UPCASTERS));
    await inner.append('preconfigtemplate-1', [{ type: 'TemplateStateChanged', data: { uuid: '1', state: 'Disabled', lastOpDate: 'x' }, schemaVersion: 1 }], 'any', { commitId: 'a'.repeat(32), metadata });
    await store.append('preconfigtemplate-1', [{ type: 'TemplateStateChanged', data: { uuid: '1', state: 'Enabled', stateEvent: 'enable', lastOpDate: 'y' } }], 'any', { commitId: 'b'.repeat(32), metadata });
    const raw = (await inner.readStream('preconfigtemplate-1')).events.map((e) => e.schemaVersion);
    expect(raw).toEqual([1, 2]);
    const events = (await store.readAll(null)).map((e) => [e.schemaVersion, e.data.stateEvent]);
    expect(events).toEqual([[2, 'disable'], [2, 'enable']]);
  });
});
