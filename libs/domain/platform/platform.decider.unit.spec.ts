import { ADMIN_ACCOUNT_UUID, type Auth, type PlatformEvent } from '@cp/contracts';
import { given } from '@cp/domain/testing';
import { platformDecider, toView, type Negotiated, type PlatformCommand } from './platform.decider';
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
const create = (n: Negotiated, auth: Auth = admin, nameTaken = false): PlatformCommand =>
  ({ type: 'CreatePlatform', data: { uuid: UUID, ...input }, auth, now: NOW, nameTaken, negotiated: n });
const deletePlatform = (auth: Auth = admin): PlatformCommand => ({ type: 'DeletePlatform', data: { uuid: UUID }, auth, now: NOW });
/** The events of a platform the admin created, with this negotiation. */
const created = (n: Negotiated): PlatformEvent[] => platformDecider.decide(create(n), null);

describe('platform decider', () => {
  it('records a negotiated platform as connected and healthy, with every view field', () => {
    given(platformDecider).when(create(good)).then((_events, state) => {
      expect(toView(state!, undefined)).toMatchObject({
        uuid: UUID, name: 'p1', productType: 'vmware', status: 'connected', healthStatus: 'healthy', accessKeyName: 'u', version: '8.0',
        successCount: 1, errorCount: 0, lastError: null, lastSuccessAt: NOW, regionUuid: '', scope: 'global',
        features: { syncResource: true, monitoring: true, logCollection: false, credential: { usernameEnc: 'U', passwordEnc: 'P' } },
      });
    });
  });

  it('records a failed negotiation too, so the operator sees why', () => {
    given(platformDecider).when(create(bad)).then((_events, state) => {
      expect(toView(state!, undefined)).toMatchObject({
        status: 'disconnected', healthStatus: 'unhealthy', accessKeyName: null, errorCount: 1, lastError: 'authenticate failed',
        lastErrorDetail: '401 Unauthorized', lastErrorAt: NOW, features: { credential: { usernameEnc: null, passwordEnc: null } },
      });
    });
  });

  it('is admin-only, and names are unique per owner', () => {
    given(platformDecider).when(create(good, normal)).thenThrows('ID.1002');
    given(platformDecider).when(create(good, admin, true)).thenThrows('SYS.1006');
  });

  it('updates only what differs, and a new credential brings its negotiation and status', () => {
    given(platformDecider, created(good))
      .when({ type: 'UpdatePlatform', data: { uuid: UUID, hostPort: 443 }, auth: admin, now: NOW })
      .then([]);
    given(platformDecider, created(good))
      .when({
        type: 'UpdatePlatform', data: { uuid: UUID, hostPort: 8443, credentials: { username: 'v', password: 'w' } }, auth: admin, now: NOW,
        negotiated: bad,
      })
      .then((events, after) => {
        expect(events.map((e) => e.type)).toEqual(['PlatformUpdated', 'PlatformCredentialRotated', 'PlatformStatusChanged', 'PlatformHealthChanged']);
        expect(after).toMatchObject({ hostPort: 8443, status: 'disconnected', healthStatus: 'unhealthy', credential: null });
      });
  });

  it('writes a probe only when status or health changes', () => {
    given(platformDecider, created(good))
      .when({ type: 'RecordPlatformProbe', data: { uuid: UUID, probes: [good.probe], next: { status: 'connected', healthStatus: 'healthy' } } })
      .then([]);
    given(platformDecider, created(good))
      .when({ type: 'RecordPlatformProbe', data: { uuid: UUID, probes: [bad.probe], next: { status: 'connected', healthStatus: 'degraded' } } })
      .then((events) => expect(events.map((e) => e.type)).toEqual(['PlatformHealthChanged']));
    given(platformDecider)
      .when({ type: 'RecordPlatformProbe', data: { uuid: UUID, probes: [bad.probe], next: { status: 'disconnected', healthStatus: 'unhealthy' } } })
      .then([]);
  });

  it('records a connection test, then what its probe changes; a platform deleted meanwhile gets nothing', () => {
    given(platformDecider, created(good))
      .when({ type: 'TestPlatformConnection', data: { uuid: UUID, probe: good.probe, probes: [good.probe], next: { status: 'connected', healthStatus: 'healthy' } } })
      .then([{ type: 'PlatformConnectionTested', data: { uuid: UUID, probe: good.probe } }]);
    given(platformDecider, created(good))
      .when({ type: 'TestPlatformConnection', data: { uuid: UUID, probe: bad.probe, probes: [bad.probe], next: { status: 'disconnected', healthStatus: 'unhealthy' } } })
      .then((events, after) => {
        expect(events.map((e) => e.type)).toEqual(['PlatformConnectionTested', 'PlatformStatusChanged', 'PlatformHealthChanged']);
        expect(after).toMatchObject({ status: 'disconnected', healthStatus: 'unhealthy', lastFailure: bad.probe });
      });
    given(platformDecider)
      .when({ type: 'TestPlatformConnection', data: { uuid: UUID, probe: good.probe, probes: [good.probe], next: { status: 'connected', healthStatus: 'healthy' } } })
      .then([]);
  });

  it('re-seals a credential in a key rotation, keeping the access key name; a platform deleted meanwhile gets nothing', () => {
    const resealed = { usernameEnc: { keyId: `dk-${UUID}-2`, ciphertext: 'U2' }, passwordEnc: { keyId: `dk-${UUID}-2`, ciphertext: 'P2' } };
    given(platformDecider, created(good))
      .when({ type: 'RotatePlatformKeys', data: { uuid: UUID, credential: resealed }, now: NOW })
      .then([{
        type: 'PlatformCredentialRotated',
        data: { uuid: UUID, reason: 'key-rotation', accessKeyName: 'u', credential: resealed, lastOpDate: NOW },
      }]);
    given(platformDecider).when({ type: 'RotatePlatformKeys', data: { uuid: UUID, credential: resealed }, now: NOW }).then([]);
  });

  it('deletes once; a second delete is 404', () => {
    given(platformDecider, created(good)).when(deletePlatform()).then((_events, state) => expect(state).toBeNull());
    given(platformDecider).when(deletePlatform()).thenThrows('SYS.1003');
    given(platformDecider, created(good)).when(deletePlatform(normal)).thenThrows('ID.1002');
  });
});
