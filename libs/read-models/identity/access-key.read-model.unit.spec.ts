import { ADMIN_ACCOUNT_UUID, AccessKeyInventoryDescriptor, type AccessKeyEvent, type AccountEvent, type Caller } from '@cp/contracts';
import type { StoredEvent } from '@cp/event-store';
import { firstDifference, pick, runQuery, seededRandom, type RandomQuerySpec, type Rng } from '@cp/query';
import { AccountReadModel } from './account.read-model';
import { AccessKeyReadModel } from './access-key.read-model';
import { StreamLog, restoredInto, rounds, swappedInto } from '../shared/spec-support';

const ACCOUNTS = ['a'.repeat(32), 'b'.repeat(32), 'c'.repeat(32)];
const UUIDS = Array.from({ length: 30 }, (_, i) => `k${String(i).padStart(31, '0')}`);
const KEY_IDS = Array.from({ length: 12 }, (_, i) => `AKID${i}`);
const DATES = ['2026-01-01T00:00:00.000Z', '2026-05-01T00:00:00.000Z'];
const QUERIES: RandomQuerySpec = {
  schema: AccessKeyInventoryDescriptor.fields,
  values: {
    uuid: [...UUIDS, 'f'.repeat(32)], description: ['', 'd'], accountUuid: [...ACCOUNTS, ADMIN_ACCOUNT_UUID], userUuid: ACCOUNTS,
    AccessKeyID: [...KEY_IDS, 'nope'], state: ['Enabled', 'Disabled'], type: ['Customized'], createDate: DATES, lastOpDate: DATES,
  },
  indexed: ['uuid', 'AccessKeyID', 'accountUuid'],
};
const ADMIN: Caller = { accountUuid: ADMIN_ACCOUNT_UUID, userUuid: ADMIN_ACCOUNT_UUID };

class Log extends StreamLog<AccessKeyEvent | AccountEvent> {
  constructor() {
    super('x');
  }
}

/** Keys created, disabled and deleted, and now and then an account deleted (its keys go with it) or created. */
function randomEvents(rng: Rng, accounts: AccountReadModel, keys: AccessKeyReadModel, log: Log, count: number): void {
  for (let i = 0; i < count; i++) {
    const at = pick(rng, DATES);
    if (rng() < 0.08) {
      const uuid = pick(rng, ACCOUNTS);
      accounts.apply(log.emit(accounts.get(uuid)
        ? { type: 'AccountDeleted', data: { uuid, deletedAt: at } }
        : { type: 'AccountCreated', data: { uuid, name: uuid.slice(0, 4), type: 'Normal', state: 'Enabled', passwordHash: 'h', createDate: at } }));
      continue;
    }
    const uuid = pick(rng, UUIDS);
    const r = rng();
    let event: AccessKeyEvent;
    if (!keys.get(uuid)) {
      const accountUuid = pick(rng, ACCOUNTS);
      event = {
        type: 'AccessKeyCreated',
        data: {
          uuid, accountUuid, userUuid: accountUuid, description: pick(rng, [undefined, 'd']), accessKeyId: pick(rng, KEY_IDS),
          secret: { keyId: 'k', ciphertext: 'c' }, state: 'Enabled', keyType: 'Customized', createDate: at,
        },
      };
    } else if (r < 0.3) event = { type: 'AccessKeyDeleted', data: { uuid, deletedAt: at } };
    else event = { type: 'AccessKeyStateChanged', data: { uuid, state: pick(rng, ['Enabled', 'Disabled'] as const), lastOpDate: at } };
    keys.apply(log.emit(event));
  }
}

function expectConsistent(rng: Rng, keys: AccessKeyReadModel, queries: number): void {
  const admin = keys.visibleTo(ADMIN);
  expect(firstDifference(rng, admin, QUERIES, queries)).toBeUndefined();
  const scan = [...admin.all()];
  for (const account of ACCOUNTS) {
    const own = keys.visibleTo({ accountUuid: account, userUuid: account });
    expect(firstDifference(rng, own, QUERIES, Math.ceil(queries / 3))).toBeUndefined();
    // An account's own keys: the admin's view restricted to them, in the same order.
    expect([...own.all()]).toEqual(scan.filter((k) => k.accountUuid === account));
  }
  const rows = keys.snapshot() as Array<{ state: { inventory: { accountUuid: string } } }>;
  for (const account of ACCOUNTS) expect(keys.keyCount(account)).toBe(rows.filter((r) => r.state.inventory.accountUuid === account).length);
  for (const id of KEY_IDS) expect(keys.byId(id)?.inventory).toBe(scan.find((k) => k.AccessKeyID === id));
}

describe('AccessKeyReadModel queries', () => {
  it('answers AccessKeyID=<x> from the index, without a scan, and only live keys', () => {
    const accounts = new AccountReadModel();
    const keys = new AccessKeyReadModel(accounts);
    const log = new Log();
    accounts.apply(log.emit({ type: 'AccountCreated', data: { uuid: ACCOUNTS[0], name: 'a', type: 'Normal', state: 'Enabled', passwordHash: 'h', createDate: DATES[0] } }));
    const created = (uuid: string, accessKeyId: string): AccessKeyEvent => ({
      type: 'AccessKeyCreated',
      data: {
        uuid, accountUuid: ACCOUNTS[0], userUuid: ACCOUNTS[0], accessKeyId, secret: { keyId: 'k', ciphertext: 'c' },
        state: 'Enabled', keyType: 'Customized', createDate: DATES[0],
      },
    });
    keys.apply(log.emit(created(UUIDS[0], 'AKID0')));
    keys.apply(log.emit(created(UUIDS[1], 'AKID1')));
    const source = keys.visibleTo(ADMIN);
    const all = jest.spyOn(source, 'all');
    const request = { conditions: [{ field: 'AccessKeyID', op: '=' as const, value: 'AKID1' }], limit: 1000, start: 0, count: false, replyWithCount: false };
    expect(runQuery(source, request, QUERIES.schema).inventories!.map((k) => k.uuid)).toEqual([UUIDS[1]]);
    accounts.apply(log.emit({ type: 'AccountDeleted', data: { uuid: ACCOUNTS[0], deletedAt: DATES[1] } }));
    expect(runQuery(source, request, QUERIES.schema).inventories).toEqual([]);
    expect(all).not.toHaveBeenCalled();
  });

  it('indexed queries answer exactly as the scan, for the admin and each account, over random events (fixed seed)', () => {
    const rng = seededRandom(5);
    const accounts = new AccountReadModel();
    const [keys, log] = [new AccessKeyReadModel(accounts), new Log()];
    rounds(40, () => {
      randomEvents(rng, accounts, keys, log, 1 + Math.floor(rng() * 10));
      expectConsistent(rng, keys, 20);
    });
  });

  it('a restored model and a swapped (rebuilt) model answer right, then follow the log', () => {
    const rng = seededRandom(8);
    const accounts = new AccountReadModel();
    const [keys, log] = [new AccessKeyReadModel(accounts), new Log()];
    randomEvents(rng, accounts, keys, log, 250);
    const restored = restoredInto(new AccessKeyReadModel(accounts), keys);
    expect([...restored.visibleTo(ADMIN).all()]).toEqual([...keys.visibleTo(ADMIN).all()]);
    expectConsistent(rng, restored, 100);
    const keyEvents = (events: StoredEvent[]) => events.filter((e) => e.streamId.startsWith('x-k'));
    swappedInto(keys, new AccessKeyReadModel(accounts), keyEvents(log.events));
    expectConsistent(rng, keys, 100);
    rounds(15, () => {
      const at = log.events.length;
      randomEvents(rng, accounts, keys, log, 5);
      for (const e of keyEvents(log.events.slice(at))) restored.apply(e);
      expectConsistent(rng, keys, 10);
      expectConsistent(rng, restored, 10);
    });
  });
});
