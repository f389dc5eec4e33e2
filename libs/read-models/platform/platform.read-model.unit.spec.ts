import type { PlatformEvent } from '@cp/contracts';
import { pick, seededRandom, type Rng } from '@cp/query';
import { PlatformReadModel } from './platform.read-model';
import { StreamLog, restoredInto, rounds, swappedInto } from '../shared/spec-support';

const UUIDS = Array.from({ length: 20 }, (_, i) => `p${String(i).padStart(31, '0')}`);
const NAMES = ['vc-1', 'vc-2', 'vc-3', 'lab'];
const OWNERS = ['a'.repeat(32), 'b'.repeat(32)];
const NOW = '2026-11-28T10:00:00.000Z';

const created = (uuid: string, name: string, ownerAccountUuid: string): PlatformEvent => ({
  type: 'PlatformCreated',
  data: {
    uuid, name, productType: 'vmware', hostIp: '10.0.0.1', hostPort: 443, useTls: true, scope: 'global', regionUuid: '',
    features: { syncResource: true, monitoring: true, logCollection: false }, ownerAccountUuid, accessKeyName: null, credential: null,
    version: null, status: 'connected', healthStatus: 'healthy', negotiation: { ok: true, at: NOW }, createDate: NOW,
  },
} as PlatformEvent);

class Log extends StreamLog<PlatformEvent> {
  constructor() {
    super('platform');
  }
}

function randomEvents(rng: Rng, model: PlatformReadModel, log: Log, count: number): void {
  for (let i = 0; i < count; i++) {
    const uuid = pick(rng, UUIDS);
    const event: PlatformEvent = !model.get(uuid)
      ? created(uuid, pick(rng, NAMES), pick(rng, OWNERS))
      : rng() < 0.3
        ? { type: 'PlatformDeleted', data: { uuid, deletedAt: NOW } }
        : { type: 'PlatformUpdated', data: { uuid, name: pick(rng, NAMES), lastOpDate: NOW } };
    model.apply(log.emit(event));
  }
}

/** `named` and `nameTakenBy` answer as a scan of `all()` does. */
function expectConsistent(model: PlatformReadModel): void {
  const all = model.all();
  for (const name of [...NAMES, 'nope']) {
    expect(model.named(name)).toEqual(all.filter((p) => p.name === name));
    for (const owner of OWNERS) expect(model.nameTakenBy(name, owner)).toBe(all.find((p) => p.name === name && p.ownerAccountUuid === owner)?.uuid);
  }
}

describe('PlatformReadModel name index', () => {
  it('follows creates, renames and deletes, in the order of all()', () => {
    const model = new PlatformReadModel();
    const log = new Log();
    model.apply(log.emit(created(UUIDS[0], 'vc-1', OWNERS[0])));
    model.apply(log.emit(created(UUIDS[1], 'vc-2', OWNERS[0])));
    model.apply(log.emit(created(UUIDS[2], 'vc-1', OWNERS[1])));
    model.apply(log.emit({ type: 'PlatformUpdated', data: { uuid: UUIDS[1], name: 'vc-1', lastOpDate: NOW } }));
    expect(model.named('vc-1').map((p) => p.uuid)).toEqual([UUIDS[0], UUIDS[1], UUIDS[2]]);
    model.apply(log.emit({ type: 'PlatformDeleted', data: { uuid: UUIDS[0], deletedAt: NOW } }));
    expect([model.nameTakenBy('vc-1', OWNERS[0]), model.nameTakenBy('vc-2', OWNERS[0])]).toEqual([UUIDS[1], undefined]);
  });

  it('agrees with a scan over random events, restored from a snapshot and swapped for a rebuilt model (fixed seed)', () => {
    const rng = seededRandom(23);
    const [model, log] = [new PlatformReadModel(), new Log()];
    rounds(40, () => {
      randomEvents(rng, model, log, 1 + Math.floor(rng() * 6));
      expectConsistent(model);
    });
    const restored = restoredInto(new PlatformReadModel(), model);
    expect(restored.all()).toEqual(model.all());
    const swapped = swappedInto(new PlatformReadModel(), new PlatformReadModel(), log.events);
    for (const m of [restored, swapped]) {
      expectConsistent(m);
      rounds(10, () => {
        randomEvents(rng, m, log, 3);
        expectConsistent(m);
      });
    }
  });
});
