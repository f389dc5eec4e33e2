import { ADMIN_ACCOUNT_UUID, PreconfigurationTemplateInventoryDescriptor, type PreconfigurationTemplateEvent } from '@cp/contracts';
import type { StoredEvent } from '@cp/event-store';
import { firstDifference, pick, runQuery, seededRandom, type RandomQuerySpec, type Rng } from '@cp/query';
import { COMMON_PARAMS } from '@cp/domain/baremetal';
import { TemplateReadModel } from './template.read-model';
import { restoredInto, rounds, swappedInto } from '../shared/spec-support';

const content = (n: number) => `${COMMON_PARAMS.map((p) => `{{ ${p} }}`).join('\n')}\n# ${n}\n`;
let position = 0n;
const stored = (event: PreconfigurationTemplateEvent, streamVersion: bigint): StoredEvent => ({
  ...event, streamId: `preconfigtemplate-${event.data.uuid}`, streamVersion, position: ++position, metadata: {},
} as unknown as StoredEvent);
const added = (uuid: string, text: string): PreconfigurationTemplateEvent => ({
  type: 'PreconfigurationTemplateAdded',
  data: {
    uuid, name: uuid, distribution: 'd', type: 'kickstart', content: text, md5sum: `md5:${text}`, customParams: [],
    isPredefined: false, state: 'Enabled', ownerAccountUuid: ADMIN_ACCOUNT_UUID, createDate: '2026-11-28T10:00:00.000Z',
  },
});

describe('TemplateReadModel', () => {
  it('keeps one copy of each distinct content, released with the last template holding it', () => {
    const model = new TemplateReadModel();
    model.apply(stored(added('a', content(1)), 0n));
    model.apply(stored(added('b', content(1)), 0n));
    model.apply(stored(added('c', content(2)), 0n));
    expect([model.size, model.distinctContents]).toEqual([3, 2]);
    model.apply(stored({ type: 'PreconfigurationTemplateUpdated', data: { uuid: 'a', content: content(3), md5sum: `md5:${content(3)}`, customParams: [], lastOpDate: 'x' } }, 1n));
    expect(model.distinctContents).toBe(3);
    model.apply(stored({ type: 'PreconfigurationTemplateDeleted', data: { uuid: 'b' } }, 1n));
    expect([model.size, model.distinctContents]).toEqual([2, 2]);
    expect(model.get('a')!.inventory.content).toBe(content(3));
  });

  it('ignores a replayed older event', () => {
    const model = new TemplateReadModel();
    model.apply(stored(added('a', content(1)), 0n));
    model.apply(stored({ type: 'TemplateStateChanged', data: { uuid: 'a', state: 'Disabled', stateEvent: 'disable', lastOpDate: 'x' } }, 1n));
    model.apply(stored(added('a', content(1)), 0n));
    expect(model.get('a')!.inventory.state).toBe('Disabled');
    expect(model.loaded('a')!.version).toBe(1n);
  });
});

describe('TemplateReadModel queries', () => {
  const UUIDS = Array.from({ length: 20 }, (_, i) => `t${i}`);
  const NAMES = ['ks', 'preseed', 'autoyast', 'ks-2'];
  const QUERIES: RandomQuerySpec = {
    schema: PreconfigurationTemplateInventoryDescriptor.fields,
    values: {
      uuid: [...UUIDS, 'nope'], name: [...NAMES, 'nope'], description: ['', 'd'], distribution: ['d', 'e'], type: ['kickstart', 'preseed'],
      state: ['Enabled', 'Disabled'], isPredefined: ['true', 'false'], createDate: ['2026-11-28T10:00:00.000Z'],
    },
    indexed: ['uuid', 'name'],
  };

  /** Adds, renames (names need not be unique), disables and deletes at random; the log it wrote. */
  function randomEvents(rng: Rng, model: TemplateReadModel, log: StoredEvent[], count: number): void {
    for (let i = 0; i < count; i++) {
      const uuid = pick(rng, UUIDS);
      const row = model.loaded(uuid);
      const version = (row?.version ?? -1n) + 1n;
      let event: PreconfigurationTemplateEvent;
      const r = rng();
      if (!row) {
        const a = added(uuid, content(Math.floor(rng() * 3)));
        event = { ...a, data: { ...a.data, name: pick(rng, NAMES) } } as PreconfigurationTemplateEvent;
      } else if (r < 0.2) event = { type: 'PreconfigurationTemplateDeleted', data: { uuid } };
      else if (r < 0.7) event = { type: 'PreconfigurationTemplateUpdated', data: { uuid, name: pick(rng, NAMES), distribution: pick(rng, ['d', 'e']), lastOpDate: 'x' } };
      else event = { type: 'TemplateStateChanged', data: { uuid, state: pick(rng, ['Enabled', 'Disabled'] as const), stateEvent: 'enable', lastOpDate: 'x' } };
      const e = stored(event, version);
      log.push(e);
      model.apply(e);
    }
  }

  it('answers name=<x> from the index, without a scan', () => {
    const model = new TemplateReadModel();
    model.apply(stored(added('a', content(1)), 0n));
    model.apply(stored(added('b', content(1)), 0n));
    model.apply(stored({ type: 'PreconfigurationTemplateUpdated', data: { uuid: 'a', name: 'b', lastOpDate: 'x' } }, 1n));
    const all = jest.spyOn(model.source, 'all');
    const request = { conditions: [{ field: 'name', op: '=' as const, value: 'b' }], limit: 1000, start: 0, count: false, replyWithCount: false };
    expect(runQuery(model.source, request, QUERIES.schema).inventories!.map((t) => t.uuid)).toEqual(['a', 'b']);
    expect(all).not.toHaveBeenCalled();
    all.mockRestore();
  });

  it('indexed queries answer exactly as the scan, also restored and swapped (fixed seed)', () => {
    const rng = seededRandom(17);
    const model = new TemplateReadModel();
    const log: StoredEvent[] = [];
    rounds(30, () => {
      randomEvents(rng, model, log, 1 + Math.floor(rng() * 6));
      expect(firstDifference(rng, model.source, QUERIES, 30)).toBeUndefined();
    });
    const restored = restoredInto(new TemplateReadModel(), model);
    expect([...restored.source.all()]).toEqual([...model.source.all()]);
    const swapped = swappedInto(new TemplateReadModel(), new TemplateReadModel(), log);
    for (const m of [restored, swapped]) {
      rounds(10, () => {
        randomEvents(rng, m, [], 4);
        expect(firstDifference(rng, m.source, QUERIES, 30)).toBeUndefined();
      });
    }
  });
});
