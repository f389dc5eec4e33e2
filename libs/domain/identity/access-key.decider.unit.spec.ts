import { ADMIN_ACCOUNT_UUID, ZStackError, type AccessKeyEvent } from '@cp/contracts';
import type { Auth } from './account.decider';
import {
  NO_PERMISSION, decideChangeAccessKeyState, decideCreateAccessKey, decideDeleteAccessKey, evolve, toInventory,
  type AccessKeyLookups, type AccessKeyRecord, type CreateAccessKey,
} from './access-key.decider';

const NOW = '2026-11-28T12:00:00.000Z';
const LATER = '2026-11-28T13:00:00.000Z';
const ALICE = 'a11ce000000040008000000000000001';
const BOB = 'b0b00000000040008000000000000002';
const KEY = 'c0ffee00000040008000000000000003';
const SEALED = { keyId: 'k1', ciphertext: 'bm9uY2UxMjM0NTY3Y2lwaGVydGV4dHRhZzEyMzQ1Njc4' };
const asAdmin: Auth = { ok: true, caller: { accountUuid: ADMIN_ACCOUNT_UUID, userUuid: ADMIN_ACCOUNT_UUID } };
const as = (accountUuid: string): Auth => ({ ok: true, caller: { accountUuid, userUuid: accountUuid } });
/** A virtual ID within alice's account: not the account itself. */
const asAlicesVirtualId: Auth = { ok: true, caller: { accountUuid: ALICE, userUuid: '7e1d0000000040008000000000000009', userType: 'IAM2VirtualID' } };
const noSession: Auth = { ok: false, error: new ZStackError('ID.1001', 'Session expired') };

const created = (uuid: string, accountUuid: string, accessKeyId = 'AKID-' + uuid.slice(0, 8)): AccessKeyEvent => ({
  type: 'AccessKeyCreated',
  data: { uuid, accountUuid, userUuid: accountUuid, accessKeyId, secret: SEALED, state: 'Enabled', keyType: 'User', createDate: NOW },
});
const given = (...events: AccessKeyEvent[]): AccessKeyRecord | null => events.reduce<AccessKeyRecord | null>(evolve, null);

function lookups(o: { accounts?: string[]; counts?: Record<string, number>; ids?: Record<string, string> } = {}): AccessKeyLookups {
  const accounts = new Set(o.accounts ?? [ADMIN_ACCOUNT_UUID, ALICE, BOB]);
  return {
    accountExists: (uuid) => accounts.has(uuid),
    keyCount: (uuid) => o.counts?.[uuid] ?? 0,
    accessKeyIdTakenBy: (id) => o.ids?.[id],
  };
}

function refused(fn: () => unknown): { code: string; details: string } {
  try {
    fn();
  } catch (error) {
    if (error instanceof ZStackError) return { code: error.code, details: error.details };
    throw error;
  }
  throw new Error('expected the command to be refused');
}

describe('CreateAccessKey', () => {
  const cmd: CreateAccessKey = { uuid: KEY, accountUuid: ALICE, description: 'ci', given: {}, accessKeyId: 'GeneratedKeyId000001' };
  const ctx = (l = lookups()) => ({ ...l, secret: SEALED, keyType: 'User', now: NOW });

  it('records the key with its secret sealed only, and the inventory never shows it', () => {
    const events = decideCreateAccessKey(cmd, null, as(ALICE), ctx());
    expect(events).toEqual([{
      type: 'AccessKeyCreated',
      data: { uuid: KEY, accountUuid: ALICE, userUuid: ALICE, description: 'ci', accessKeyId: 'GeneratedKeyId000001', secret: SEALED, state: 'Enabled', keyType: 'User', createDate: NOW },
    }]);
    const state = given(...events)!;
    expect(state.inventory).toEqual({
      uuid: KEY, description: 'ci', accountUuid: ALICE, userUuid: ALICE, AccessKeyID: 'GeneratedKeyId000001', state: 'Enabled', type: 'User', createDate: NOW, lastOpDate: NOW,
    });
    expect(Object.keys(toInventory(state.inventory, 'the-secret'))).toEqual([
      'uuid', 'description', 'accountUuid', 'userUuid', 'AccessKeyID', 'AccessKeySecret', 'state', 'type', 'createDate', 'lastOpDate',
    ]);
    expect(JSON.stringify(events)).not.toContain('the-secret');
  });

  it('lets the admin create a key for any account', () => {
    expect(decideCreateAccessKey(cmd, null, asAdmin, ctx())).toHaveLength(1);
  });

  it.each([
    ['for an account that does not exist, before the session is looked at', cmd, noSession, lookups({ accounts: [] }), null, 'SYS.1003',
      `invalid field[accountUuid], resource[uuid:${ALICE}, type:AccountVO] not found`],
    ['without a session', cmd, noSession, lookups(), null, 'ID.1001', 'Session expired'],
    ['by another normal account', cmd, as(BOB), lookups(), null, 'ID.1002', NO_PERMISSION],
    ['by a virtual ID within the account', cmd, asAlicesVirtualId, lookups(), null, 'ID.1002', NO_PERMISSION],
    ['with only an AccessKeyID', { ...cmd, given: { accessKeyId: 'GivenKeyId01' } }, as(ALICE), lookups(), null, 'SYS.1007',
      'If a specified Accesskey is expected, the AccesskeyId and the AccesskeySecret must be provided at the same time.'],
    ['with a colon in the AccessKeyID', { ...cmd, given: { accessKeyId: 'Given:KeyId', secret: 'secret-value' } }, as(ALICE), lookups(), null, 'SYS.1007',
      "Access key ID and secret cannot contain ':'"],
    ['on a used uuid', cmd, as(ALICE), lookups(), given(created(KEY, ALICE)), 'SYS.1007', `invalid field[resourceUuid], a resource with uuid[${KEY}] already exists`],
    ['with an AccessKeyID in use', cmd, as(ALICE), lookups({ ids: { GeneratedKeyId000001: 'other' } }), null, 'SYS.1007',
      'the AccessKeyID[GeneratedKeyId000001] is already in use'],
    ['over the quota of 2', cmd, as(ALICE), lookups({ counts: { [ALICE]: 2 } }), null, 'ID.1003',
      `The number of access keys for account[uuid=${ALICE}] has exceeded the maximum limit`],
    ['over the quota of 2, for the admin account too', { ...cmd, accountUuid: ADMIN_ACCOUNT_UUID }, asAdmin, lookups({ counts: { [ADMIN_ACCOUNT_UUID]: 2 } }), null, 'ID.1003',
      `The number of access keys for account[uuid=${ADMIN_ACCOUNT_UUID}] has exceeded the maximum limit`],
  ])('is refused %s', (_what, command, auth, l, existing, code, details) => {
    expect(refused(() => decideCreateAccessKey(command, existing, auth, ctx(l)))).toEqual({ code, details });
  });
});

describe('ChangeAccessKeyState', () => {
  const key = given(created(KEY, ALICE));

  it('disables and enables, moving lastOpDate, and records nothing when the state does not change', () => {
    const off = decideChangeAccessKeyState({ uuid: KEY, stateEvent: 'disable' }, key, as(ALICE), { ...lookups(), now: LATER });
    expect(off).toEqual([{ type: 'AccessKeyStateChanged', data: { uuid: KEY, state: 'Disabled', lastOpDate: LATER } }]);
    const disabled = off.reduce(evolve, key)!;
    expect(disabled.inventory).toMatchObject({ state: 'Disabled', lastOpDate: LATER, createDate: NOW });
    expect(decideChangeAccessKeyState({ uuid: KEY, stateEvent: 'disable' }, disabled, asAdmin, { ...lookups(), now: LATER })).toEqual([]);
    expect(decideChangeAccessKeyState({ uuid: KEY, stateEvent: 'enable' }, disabled, asAdmin, { ...lookups(), now: LATER })[0].data).toMatchObject({ state: 'Enabled' });
  });

  it.each([
    ['an unknown key, before the session', null, noSession, lookups(), 'SYS.1003'],
    ['a deleted key', given(created(KEY, ALICE), { type: 'AccessKeyDeleted', data: { uuid: KEY, deletedAt: LATER } }), asAdmin, lookups(), 'SYS.1003'],
    ['a key of a deleted account', key, asAdmin, lookups({ accounts: [ADMIN_ACCOUNT_UUID] }), 'SYS.1003'],
    ['another account\'s key', key, as(BOB), lookups(), 'ID.1002'],
    ['without a session', key, noSession, lookups(), 'ID.1001'],
  ])('refuses %s', (_what, state, auth, l, code) => {
    expect(refused(() => decideChangeAccessKeyState({ uuid: KEY, stateEvent: 'disable' }, state, auth, { ...l, now: LATER })).code).toBe(code);
  });
});

describe('DeleteAccessKey', () => {
  const key = given(created(KEY, ALICE));

  it('deletes the key; a deleted key no longer counts', () => {
    const events = decideDeleteAccessKey(KEY, key, as(ALICE), { ...lookups(), now: LATER });
    expect(events).toEqual([{ type: 'AccessKeyDeleted', data: { uuid: KEY, deletedAt: LATER } }]);
    expect(events.reduce(evolve, key)?.deleted).toBe(true);
  });

  it('succeeds with nothing to do for a missing key, whoever asks (successIfResourceNotExisting)', () => {
    expect(decideDeleteAccessKey(KEY, null, noSession, { ...lookups(), now: LATER })).toEqual([]);
    expect(decideDeleteAccessKey(KEY, key, noSession, { ...lookups({ accounts: [] }), now: LATER })).toEqual([]);
  });

  it('refuses a malformed uuid, another account\'s key, and no session', () => {
    expect(refused(() => decideDeleteAccessKey('nope', null, asAdmin, { ...lookups(), now: LATER }))).toEqual({ code: 'SYS.1003', details: 'invalid value[nope] of field [uuid]' });
    expect(refused(() => decideDeleteAccessKey(KEY, key, as(BOB), { ...lookups(), now: LATER })).code).toBe('ID.1002');
    expect(refused(() => decideDeleteAccessKey(KEY, key, noSession, { ...lookups(), now: LATER })).code).toBe('ID.1001');
  });
});
