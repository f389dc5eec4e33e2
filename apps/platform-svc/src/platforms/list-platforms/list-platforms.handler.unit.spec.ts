import { ADMIN_ACCOUNT_UUID, ListPlatformsMsg, validatePayload, type BusMessage, type PlatformView } from '@cp/contracts';
import { pick, seededRandom } from '@cp/query';
import { toView, type PlatformState } from '@cp/domain/platform';
import type { PlatformReadModel } from '@cp/read-models/platform';
import type { PlatformConfig } from '../../config';
import type { ProbeStore } from '../../health/probe.store';
import { ListPlatformsHandler } from './list-platforms.handler';

const NAMES = ['vc-1', 'vc-2', 'lab'];
const DATES = ['2026-11-28T10:00:00.000Z', '2026-11-28T10:00:00.001Z', '2026-11-28T10:00:01.000Z'];

function platform(rng: () => number, i: number): PlatformState {
  const region = rng() < 0.3;
  return {
    uuid: `${pick(rng, ['a', 'b', 'c'])}${String(i).padStart(31, '0')}`, name: pick(rng, NAMES), productType: pick(rng, ['zstack', 'vmware', 'openstack'] as const),
    hostIp: '10.0.0.1', hostPort: 443, useTls: true, scope: region ? 'region' : 'global', regionUuid: region ? 'f'.repeat(32) : '',
    features: { syncResource: true, monitoring: true, logCollection: false }, ownerAccountUuid: ADMIN_ACCOUNT_UUID, accessKeyName: null,
    credential: null, version: null, status: pick(rng, ['connected', 'disconnected'] as const), healthStatus: pick(rng, ['healthy', 'degraded', 'unhealthy'] as const),
    createDate: pick(rng, DATES), lastOpDate: DATES[0], lastSuccessAt: null, lastFailure: null,
  } as unknown as PlatformState;
}

/** The list as platform-svc computed it by hand before it used the query engine. */
function byHand(all: PlatformState[], filter: Record<string, string | number | undefined>): { platforms: PlatformView[]; total: number } {
  const views = all.map((p) => toView(p, undefined))
    .filter((v) => (['name', 'productType', 'status', 'healthStatus', 'scope', 'regionUuid'] as const).every((key) => filter[key] === undefined || v[key] === filter[key]))
    .sort((a, b) => a.createDate.localeCompare(b.createDate) || a.uuid.localeCompare(b.uuid));
  const offset = Number(filter.offset ?? 0);
  return { platforms: views.slice(offset, offset + Number(filter.limit ?? 100)), total: views.length };
}

describe('ListPlatforms', () => {
  it('answers as the hand-written filter, sort and page did (fixed seed)', async () => {
    const rng = seededRandom(13);
    const states = Array.from({ length: 60 }, (_, i) => platform(rng, i));
    const platforms = {
      all: () => [...states],
      named: (name: string) => states.filter((p) => p.name === name),
    } as unknown as PlatformReadModel;
    const handler = new ListPlatformsHandler(platforms, { get: () => undefined } as unknown as ProbeStore, { queryTimeLimitMs: 1000 } as PlatformConfig);
    const auth = { ok: true as const, caller: { accountUuid: ADMIN_ACCOUNT_UUID, userUuid: ADMIN_ACCOUNT_UUID } };
    for (let round = 0; round < 200; round++) {
      const query: Record<string, string> = {};
      if (rng() < 0.4) query.name = pick(rng, [...NAMES, 'none']);
      if (rng() < 0.3) query.productType = pick(rng, ['zstack', 'vmware', 'openstack']);
      if (rng() < 0.3) query.status = pick(rng, ['connected', 'disconnected']);
      if (rng() < 0.3) query.healthStatus = pick(rng, ['healthy', 'degraded', 'unhealthy']);
      if (rng() < 0.2) query.scope = pick(rng, ['global', 'region']);
      if (rng() < 0.2) query.regionUuid = pick(rng, ['', 'f'.repeat(32)]);
      if (rng() < 0.5) query.limit = String(1 + Math.floor(rng() * 30));
      if (rng() < 0.5) query.offset = String(Math.floor(rng() * 40));
      const msg = validatePayload(ListPlatformsMsg, query);
      msg.call = { bus: { payload: query } as unknown as BusMessage, auth };
      expect((await handler.execute(msg)).result).toEqual(byHand(states, query));
    }
  });
});
