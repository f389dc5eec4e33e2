import { ADMIN_ACCOUNT_UUID, type PreconfigurationTemplateEvent } from '@cp/contracts';
import type { StoredEvent } from '@cp/event-store';
import { COMMON_PARAMS } from './template-params';
import { TemplateReadModel } from './template.read-model';

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
