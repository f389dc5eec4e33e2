import {
  ADMIN_ACCOUNT_UUID, IAM2VirtualIDAttributeInventoryDescriptor, IAM2VirtualIDInventoryDescriptor, IAM2_VIRTUAL_ID_USER_TYPE,
  type Caller, type IAM2AttributeRecord, type IAM2VirtualIDEvent,
} from '@cp/contracts';
import { firstDifference, pick, runQuery, seededRandom, type RandomQuerySpec, type Rng } from '@cp/query';
import { IAM2VirtualIDReadModel } from './virtual-id.read-model';
import { StreamLog, restoredInto, rounds, swappedInto } from '../shared/spec-support';

const UUIDS = Array.from({ length: 25 }, (_, i) => `v${String(i).padStart(31, '0')}`);
const NAMES = Array.from({ length: 10 }, (_, i) => `vid-${i}`);
const ACCOUNTS = [ADMIN_ACCOUNT_UUID, 'b'.repeat(32), 'c'.repeat(32)];
const ATTRIBUTE_UUIDS = Array.from({ length: 40 }, (_, i) => `t${String(i).padStart(31, '0')}`);
const ATTRIBUTE_NAMES = ['department', 'email', 'phone', '__ProjectAdmin__'];
const DATES = ['2026-01-01T00:00:00.000Z', '2026-05-01T00:00:00.000Z'];

const VIRTUAL_IDS: RandomQuerySpec = {
  schema: IAM2VirtualIDInventoryDescriptor.fields,
  values: {
    uuid: [...UUIDS, 'f'.repeat(32)], name: [...NAMES, 'nobody'], description: ['', 'd'], type: ['ZStack'],
    state: ['Enabled', 'Disabled', 'Staled'], createDate: DATES, lastOpDate: DATES,
  },
  indexed: ['uuid', 'name'],
};
const ATTRIBUTES: RandomQuerySpec = {
  schema: IAM2VirtualIDAttributeInventoryDescriptor.fields,
  values: {
    uuid: ATTRIBUTE_UUIDS.slice(0, 20), name: ATTRIBUTE_NAMES, value: ['x', 'y', ''], type: ['Customized'],
    createDate: DATES, lastOpDate: DATES, virtualIDUuid: UUIDS.slice(0, 12),
  },
  indexed: ['uuid', 'name', 'virtualIDUuid'],
};

class Log extends StreamLog<IAM2VirtualIDEvent> {
  constructor() {
    super('iam2vid');
  }
}

let nextAttribute = 0;
const attributes = (rng: Rng): IAM2AttributeRecord[] => Array.from({ length: Math.floor(rng() * 3) }, () => ({
  uuid: ATTRIBUTE_UUIDS[nextAttribute++ % ATTRIBUTE_UUIDS.length], name: pick(rng, ATTRIBUTE_NAMES), value: pick(rng, ['x', 'y']), type: 'Customized',
}));

function randomEvents(rng: Rng, model: IAM2VirtualIDReadModel, log: Log, count: number): void {
  for (let i = 0; i < count; i++) {
    const uuid = pick(rng, UUIDS);
    const state = model.get(uuid);
    const r = rng();
    const at = pick(rng, DATES);
    let event: IAM2VirtualIDEvent;
    if (!state) {
      event = {
        type: 'IAM2VirtualIDCreated',
        data: {
          uuid, name: pick(rng, NAMES), description: pick(rng, [undefined, 'd']), type: 'ZStack', state: 'Enabled', passwordHash: 'h',
          accountUuid: pick(rng, ACCOUNTS), attributes: attributes(rng), createDate: at,
        },
      };
    } else if (r < 0.15) event = { type: 'IAM2VirtualIDDeleted', data: { uuid, deletedAt: at } };
    else if (r < 0.45) event = { type: 'IAM2VirtualIDUpdated', data: { uuid, name: pick(rng, NAMES), lastOpDate: at } };
    else if (r < 0.55) event = { type: 'IAM2VirtualIDStateChanged', data: { uuid, state: pick(rng, ['Enabled', 'Disabled', 'Staled'] as const), lastOpDate: at } };
    else if (r < 0.75) event = { type: 'IAM2VirtualIDAttributesAdded', data: { uuid, attributes: attributes(rng), createDate: at } };
    else if (r < 0.9) {
      const held = state.inventory.attributes.map((a) => a.uuid);
      event = { type: 'IAM2VirtualIDAttributesRemoved', data: { uuid, attributeUuids: held.filter(() => rng() < 0.5), removedAt: at } };
    } else {
      const a = state.inventory.attributes[0];
      event = a
        ? { type: 'IAM2VirtualIDAttributeUpdated', data: { uuid, attributeUuid: a.uuid, value: pick(rng, ['x', 'y', '']), lastOpDate: at } }
        : { type: 'IAM2VirtualIDPasswordChanged', data: { uuid, passwordHash: 'h2', lastOpDate: at } };
    }
    model.apply(log.emit(event));
  }
}

/** The admin, an account, and a virtual ID's own session. */
function callers(rng: Rng): Array<[Caller, boolean]> {
  return [
    [{ accountUuid: ADMIN_ACCOUNT_UUID, userUuid: ADMIN_ACCOUNT_UUID }, true],
    [{ accountUuid: ACCOUNTS[1], userUuid: ACCOUNTS[1] }, false],
    [{ accountUuid: pick(rng, ACCOUNTS), userUuid: pick(rng, UUIDS), userType: IAM2_VIRTUAL_ID_USER_TYPE }, false],
  ];
}

function expectConsistent(rng: Rng, model: IAM2VirtualIDReadModel, queries: number): void {
  for (const [caller, admin] of callers(rng)) {
    expect(firstDifference(rng, model.visibleTo(caller, admin), VIRTUAL_IDS, queries)).toBeUndefined();
    expect(firstDifference(rng, model.attributesVisibleTo(caller, admin), ATTRIBUTES, queries)).toBeUndefined();
  }
  const scan = [...model.visibleTo(callers(rng)[0][0], true).all()];
  for (const name of NAMES) expect(model.uuidByName(name)).toBe(scan.find((v) => v.name === name)?.uuid);
  for (const a of ATTRIBUTE_UUIDS) expect(model.virtualIdOfAttribute(a)).toBe(scan.find((v) => v.attributes.some((x) => x.uuid === a))?.uuid);
}

describe('IAM2VirtualIDReadModel queries', () => {
  const admin: Caller = { accountUuid: ADMIN_ACCOUNT_UUID, userUuid: ADMIN_ACCOUNT_UUID };
  const request = (field: string, value: string) => ({
    conditions: [{ field, op: '=' as const, value }], limit: 1000, start: 0, count: false, replyWithCount: false,
  });

  it('answers virtual IDs by name and attributes by name, uuid and virtual ID from the indexes (no scan)', () => {
    const model = new IAM2VirtualIDReadModel();
    const log = new Log();
    const created = (uuid: string, name: string, attrs: IAM2AttributeRecord[]): IAM2VirtualIDEvent => ({
      type: 'IAM2VirtualIDCreated',
      data: { uuid, name, type: 'ZStack', state: 'Enabled', passwordHash: 'h', accountUuid: ADMIN_ACCOUNT_UUID, attributes: attrs, createDate: DATES[0] },
    });
    model.apply(log.emit(created(UUIDS[0], 'alice', [{ uuid: ATTRIBUTE_UUIDS[0], name: 'email', value: 'a@x', type: 'Customized' }])));
    model.apply(log.emit(created(UUIDS[1], 'bob', [{ uuid: ATTRIBUTE_UUIDS[1], name: 'email', value: 'b@x', type: 'Customized' }])));
    const virtualIds = model.visibleTo(admin, true);
    const attrs = model.attributesVisibleTo(admin, true);
    const scans = [jest.spyOn(virtualIds, 'all'), jest.spyOn(attrs, 'all')];
    const ids = (r: { inventories?: Record<string, unknown>[] }) => r.inventories!.map((i) => i.uuid);
    const schema = IAM2VirtualIDAttributeInventoryDescriptor.fields;
    expect(ids(runQuery(virtualIds, request('name', 'bob'), IAM2VirtualIDInventoryDescriptor.fields))).toEqual([UUIDS[1]]);
    expect(ids(runQuery(attrs, request('name', 'email'), schema))).toEqual([ATTRIBUTE_UUIDS[0], ATTRIBUTE_UUIDS[1]]);
    expect(ids(runQuery(attrs, request('uuid', ATTRIBUTE_UUIDS[1]), schema))).toEqual([ATTRIBUTE_UUIDS[1]]);
    expect(ids(runQuery(attrs, request('virtualIDUuid', UUIDS[0]), schema))).toEqual([ATTRIBUTE_UUIDS[0]]);
    model.apply(log.emit({ type: 'IAM2VirtualIDAttributesRemoved', data: { uuid: UUIDS[0], attributeUuids: [ATTRIBUTE_UUIDS[0]], removedAt: DATES[1] } }));
    expect(ids(runQuery(attrs, request('name', 'email'), schema))).toEqual([ATTRIBUTE_UUIDS[1]]);
    expect(model.virtualIdOfAttribute(ATTRIBUTE_UUIDS[0])).toBeUndefined();
    for (const scan of scans) expect(scan).not.toHaveBeenCalled();
  });

  it('indexed queries answer exactly as the scan for every kind of caller, over random events (fixed seed)', () => {
    const rng = seededRandom(3);
    const [model, log] = [new IAM2VirtualIDReadModel(), new Log()];
    rounds(40, () => {
      randomEvents(rng, model, log, 1 + Math.floor(rng() * 10));
      expectConsistent(rng, model, 15);
    });
  });

  it('a restored model and a swapped (rebuilt) model answer right, then follow the log', () => {
    const rng = seededRandom(11);
    const [model, log] = [new IAM2VirtualIDReadModel(), new Log()];
    randomEvents(rng, model, log, 250);
    const restored = restoredInto(new IAM2VirtualIDReadModel(), model);
    expect([...restored.visibleTo(admin, true).all()]).toEqual([...model.visibleTo(admin, true).all()]);
    expectConsistent(rng, restored, 100);
    const live = swappedInto(new IAM2VirtualIDReadModel(), new IAM2VirtualIDReadModel(), log.events);
    expectConsistent(rng, live, 100);
    rounds(15, () => {
      const at = log.events.length;
      randomEvents(rng, live, log, 5);
      for (const e of log.events.slice(at)) restored.apply(e);
      expectConsistent(rng, live, 10);
      expectConsistent(rng, restored, 10);
    });
  });
});
