import { ADMIN_ACCOUNT_UUID, AccountInventoryDescriptor, type AccountEvent } from '@cp/contracts';
import { firstDifference, pick, runQuery, seededRandom, type QueryRequest, type RandomQuerySpec, type Rng } from '@cp/query';
import { AccountReadModel } from './account.read-model';
import { StreamLog, restoredInto, rounds, swappedInto } from '../shared/spec-support';

const SCHEMA = AccountInventoryDescriptor.fields;
const UUIDS = [ADMIN_ACCOUNT_UUID, ...Array.from({ length: 30 }, (_, i) => `a${String(i).padStart(31, '0')}`)];
const NAMES = ['admin', ...Array.from({ length: 12 }, (_, i) => `acct-${i}`)];
const QUERIES: RandomQuerySpec = {
  schema: SCHEMA,
  values: {
    uuid: [...UUIDS, 'f'.repeat(32)], name: [...NAMES, 'nobody'], description: ['', 'd1', 'd2'], type: ['Normal', 'SystemAdmin'],
    state: ['Enabled', 'Disabled'], createDate: ['2026-01-01T00:00:00Z', '2026-06-01T00:00:00Z'], lastOpDate: ['2026-03-01T00:00:00Z'],
  },
  indexed: ['uuid', 'name'],
};

/** The account streams: each event numbered in its stream, and positioned in the log. */
class Log extends StreamLog<AccountEvent> {
  constructor() {
    super('account');
  }
}

/** A seeded random source, an empty model and its log. */
const start = (seed: number) => ({ rng: seededRandom(seed), model: new AccountReadModel(), log: new Log() });

const date = (rng: Rng) => pick(rng, ['2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z', '2026-07-01T00:00:00.000Z']);

/** Random creates, renames (and other updates), password changes and deletes, applied to `model`. */
function randomEvents(rng: Rng, model: AccountReadModel, log: Log, count: number): void {
  for (let i = 0; i < count; i++) {
    const uuid = pick(rng, UUIDS);
    const exists = model.get(uuid) !== undefined;
    const r = rng();
    let event: AccountEvent;
    if (!exists) {
      event = {
        type: 'AccountCreated',
        data: {
          uuid, name: pick(rng, NAMES), description: pick(rng, [undefined, '', 'd1', 'd2']),
          type: uuid === ADMIN_ACCOUNT_UUID ? 'SystemAdmin' : 'Normal', state: pick(rng, ['Enabled', 'Disabled'] as const),
          passwordHash: 'h', createDate: date(rng),
        },
      };
    } else if (r < 0.2) event = { type: 'AccountDeleted', data: { uuid, deletedAt: date(rng) } };
    else if (r < 0.3) event = { type: 'AccountPasswordChanged', data: { uuid, passwordHash: 'h2', lastOpDate: date(rng) } };
    else {
      event = {
        type: 'AccountUpdated',
        data: {
          uuid, name: rng() < 0.7 ? pick(rng, NAMES) : undefined, description: rng() < 0.3 ? pick(rng, ['d1', 'd2']) : undefined,
          state: rng() < 0.3 ? pick(rng, ['Enabled', 'Disabled'] as const) : undefined, lastOpDate: date(rng),
        },
      };
    }
    model.apply(log.emit(event));
  }
}

/** The admin's and each account's queries answer as their scans do; the name lookup agrees with the scan. */
function expectConsistent(rng: Rng, model: AccountReadModel, queries: number): void {
  expect(firstDifference(rng, model.visibleTo(ADMIN_ACCOUNT_UUID, true), QUERIES, queries)).toBeUndefined();
  expect(firstDifference(rng, model.visibleTo(pick(rng, UUIDS), false), QUERIES, Math.ceil(queries / 4))).toBeUndefined();
  const scan = [...model.visibleTo(ADMIN_ACCOUNT_UUID, true).all()];
  for (const name of NAMES) expect(model.uuidByName(name)).toBe(scan.find((a) => a.name === name)?.uuid);
}

const byName = (name: string): QueryRequest => ({
  conditions: [{ field: 'name', op: '=', value: name }], limit: 1000, start: 0, count: false, replyWithCount: false,
});

describe('AccountReadModel queries', () => {
  it('answers q=name=<x> from the name index (no scan), and the name index follows renames and deletions', () => {
    const model = new AccountReadModel();
    const log = new Log();
    model.apply(log.emit({ type: 'AccountCreated', data: { uuid: UUIDS[1], name: 'alice', type: 'Normal', state: 'Enabled', passwordHash: 'h', createDate: 'x' } }));
    model.apply(log.emit({ type: 'AccountCreated', data: { uuid: UUIDS[2], name: 'bob', type: 'Normal', state: 'Enabled', passwordHash: 'h', createDate: 'x' } }));
    const source = model.visibleTo(ADMIN_ACCOUNT_UUID, true);
    const all = jest.spyOn(source, 'all');
    expect(runQuery(source, byName('alice'), SCHEMA).inventories!.map((a) => a.uuid)).toEqual([UUIDS[1]]);
    model.apply(log.emit({ type: 'AccountUpdated', data: { uuid: UUIDS[1], name: 'carol', lastOpDate: 'y' } }));
    expect(runQuery(source, byName('alice'), SCHEMA).inventories).toEqual([]);
    expect(runQuery(source, byName('carol'), SCHEMA).inventories!.map((a) => a.uuid)).toEqual([UUIDS[1]]);
    model.apply(log.emit({ type: 'AccountDeleted', data: { uuid: UUIDS[1], deletedAt: 'z' } }));
    expect(runQuery(source, byName('carol'), SCHEMA).inventories).toEqual([]);
    expect([model.uuidByName('carol'), model.uuidByName('bob')]).toEqual([undefined, UUIDS[2]]);
    expect(all).not.toHaveBeenCalled();
  });

  it('a normal account still sees only itself, by name too', () => {
    const model = new AccountReadModel();
    const log = new Log();
    model.apply(log.emit({ type: 'AccountCreated', data: { uuid: UUIDS[1], name: 'alice', type: 'Normal', state: 'Enabled', passwordHash: 'h', createDate: 'x' } }));
    model.apply(log.emit({ type: 'AccountCreated', data: { uuid: UUIDS[2], name: 'bob', type: 'Normal', state: 'Enabled', passwordHash: 'h', createDate: 'x' } }));
    expect(runQuery(model.visibleTo(UUIDS[1], false), byName('bob'), SCHEMA).inventories).toEqual([]);
    expect(runQuery(model.visibleTo(UUIDS[2], false), byName('bob'), SCHEMA).inventories!.map((a) => a.uuid)).toEqual([UUIDS[2]]);
  });

  it('indexed queries answer exactly as the scan, over random events (fixed seed)', () => {
    const { rng, model, log } = start(1206);
    rounds(40, () => {
      randomEvents(rng, model, log, 1 + Math.floor(rng() * 10));
      expectConsistent(rng, model, 30);
    });
  });

  it('a model restored from a checkpoint snapshot answers the same, then follows the log', () => {
    const { rng, model, log } = start(42);
    randomEvents(rng, model, log, 300);
    const restored = restoredInto(new AccountReadModel(), model);
    const admin = (m: AccountReadModel) => [...m.visibleTo(ADMIN_ACCOUNT_UUID, true).all()];
    expect(admin(restored)).toEqual(admin(model));
    for (const name of NAMES) {
      expect(runQuery(restored.visibleTo(ADMIN_ACCOUNT_UUID, true), byName(name), SCHEMA))
        .toEqual(runQuery(model.visibleTo(ADMIN_ACCOUNT_UUID, true), byName(name), SCHEMA));
    }
    expectConsistent(rng, restored, 200);
    rounds(20, () => {
      randomEvents(rng, restored, log, 5);
      expectConsistent(rng, restored, 20);
    });
  });

  it('a model swapped for a rebuilt one (Projection.rebuild: Object.assign) answers right, then follows the log', () => {
    const { rng, model, log } = start(7);
    randomEvents(rng, model, log, 200);
    swappedInto(model, new AccountReadModel(), log.events);
    expectConsistent(rng, model, 200);
    rounds(20, () => {
      randomEvents(rng, model, log, 5);
      expectConsistent(rng, model, 20);
    });
  });
});
