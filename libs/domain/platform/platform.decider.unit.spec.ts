import { ADMIN_ACCOUNT_UUID, ZStackError, type Auth, type PlatformEvent } from '@cp/contracts';
import { decideCreate, decideDelete, decideProbe, decideUpdate, evolve, toView, type Negotiated, type PlatformState } from './platform.decider';
import type { CreatePlatformInput } from './platform-input';

const admin: Auth = { ok: true, caller: { accountUuid: ADMIN_ACCOUNT_UUID, userUuid: ADMIN_ACCOUNT_UUID } };
const normal: Auth = { ok: true, caller: { accountUuid: 'a'.repeat(32), userUuid: 'a'.repeat(32) } };
const NOW = '2026-11-28T10:00:00.000Z';
const UUID = 'c'.repeat(32);
/** What parseCreatePlatform makes of { name: 'p1', productType: 'vmware', hostIp: '10.0.0.1', hostPort: 443, username: 'u', password: 'pw' }. */
const input: CreatePlatformInput = {
  name: 'p1', productType: 'vmware', hostIp: '10.0.0.1', hostPort: 443, username: 'u', password: 'pw', scope: 'global', regionUuid: '',
  features: { syncResource: true, monitoring: true, logCollection: false }, useTls: true,
};
const sealed = (ciphertext: string) => ({ keyId: `dk-${UUID}-1`, ciphertext });
const good: Negotiated = {
  ok: true, accessKeyName: 'u', credential: { usernameEnc: sealed('U'), passwordEnc: sealed('P') }, version: '8.0', probe: { ok: true, at: NOW, latencyMs: 5 },
};
const bad: Negotiated = { ok: false, probe: { ok: false, at: NOW, error: 'authenticate failed', detail: '401 Unauthorized' } };
const fold = (events: PlatformEvent[], state: PlatformState | null = null) => events.reduce(evolve, state);
const create = (n: Negotiated, auth = admin) => decideCreate(UUID, input, null, auth, { now: NOW, nameTaken: () => false, negotiated: n });

function code(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return (error as ZStackError).code;
  }
  return 'none';
}

describe('platform decider', () => {
  it('records a negotiated platform as connected and healthy, with every view field', () => {
    const view = toView(fold(create(good))!, undefined);
    expect(view).toMatchObject({
      uuid: UUID, name: 'p1', productType: 'vmware', status: 'connected', healthStatus: 'healthy', accessKeyName: 'u', version: '8.0',
      successCount: 1, errorCount: 0, lastError: null, lastSuccessAt: NOW, regionUuid: '', scope: 'global',
      features: { syncResource: true, monitoring: true, logCollection: false, credential: { usernameEnc: 'U', passwordEnc: 'P' } },
    });
  });

  it('records a failed negotiation too, so the operator sees why', () => {
    const view = toView(fold(create(bad))!, undefined);
    expect(view).toMatchObject({
      status: 'disconnected', healthStatus: 'unhealthy', accessKeyName: null, errorCount: 1, lastError: 'authenticate failed',
      lastErrorDetail: '401 Unauthorized', lastErrorAt: NOW, features: { credential: { usernameEnc: null, passwordEnc: null } },
    });
  });

  it('is admin-only, and names are unique per owner', () => {
    expect(code(() => create(good, normal))).toBe('ID.1002');
    expect(code(() => decideCreate(UUID, input, null, admin, { now: NOW, nameTaken: () => true, negotiated: good }))).toBe('SYS.1006');
  });

  it('updates only what differs, and a new credential brings its negotiation and status', () => {
    const state = fold(create(good));
    expect(decideUpdate(UUID, { hostPort: 443 }, state, admin, { now: NOW, nameTakenBy: () => undefined })).toEqual([]);
    const events = decideUpdate(UUID, { hostPort: 8443, credentials: { username: 'v', password: 'w' } }, state, admin,
      { now: NOW, nameTakenBy: () => undefined, negotiated: bad });
    expect(events.map((e) => e.type)).toEqual(['PlatformUpdated', 'PlatformCredentialRotated', 'PlatformStatusChanged', 'PlatformHealthChanged']);
    expect(fold(events, state)).toMatchObject({ hostPort: 8443, status: 'disconnected', healthStatus: 'unhealthy', credential: null });
  });

  it('writes a probe only when status or health changes', () => {
    const state = fold(create(good))!;
    expect(decideProbe(UUID, state, [good.probe], { status: 'connected', healthStatus: 'healthy' })).toEqual([]);
    expect(decideProbe(UUID, state, [bad.probe], { status: 'connected', healthStatus: 'degraded' }).map((e) => e.type)).toEqual(['PlatformHealthChanged']);
  });

  it('deletes once; a second delete is 404', () => {
    expect(fold(decideDelete(UUID, fold(create(good)), admin, NOW))).toBeNull();
    expect(code(() => decideDelete(UUID, null, admin, NOW))).toBe('SYS.1003');
    expect(code(() => decideDelete(UUID, fold(create(good)), normal, NOW))).toBe('ID.1002');
  });
});
