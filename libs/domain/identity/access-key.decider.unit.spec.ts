import { ADMIN_ACCOUNT_UUID, ZStackError, type AccessKeyEvent } from '@cp/contracts';
import { given } from '@cp/domain/testing';
import type { Auth } from './account.decider';
import {
  NO_PERMISSION, accessKeyDecider, toInventory, type AccessKeyCommand, type AccessKeyLookups, type CreateAccessKey,
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
function lookups(o: { accounts?: string[]; counts?: Record<string, number>; ids?: Record<string, string> } = {}): AccessKeyLookups {
  const accounts = new Set(o.accounts ?? [ADMIN_ACCOUNT_UUID, ALICE, BOB]);
  return {
    accountExists: (uuid) => accounts.has(uuid),
    keyCount: (uuid) => o.counts?.[uuid] ?? 0,
    accessKeyIdTakenBy: (id) => o.ids?.[id],
  };
}

/** The commands, with what the read models (these lookups) answer about them. */
const createKey = (data: CreateAccessKey, auth: Auth, l = lookups()): AccessKeyCommand => ({
  type: 'CreateAccessKey', data, auth, now: NOW, secret: SEALED, keyType: 'User',
  accountExists: l.accountExists(data.accountUuid), keyCount: l.keyCount(data.accountUuid), accessKeyIdTakenBy: l.accessKeyIdTakenBy(data.accessKeyId),
});
/** Whether the account of the key these events make still exists (asked only of a live key). */
const keyAccountExists = (events: AccessKeyEvent[], l: AccessKeyLookups) => {
  const key = given(accessKeyDecider, events).state;
  return key !== null && !key.deleted && l.accountExists(key.inventory.accountUuid);
};
const changeState = (events: AccessKeyEvent[], stateEvent: 'enable' | 'disable', auth: Auth, l = lookups()): AccessKeyCommand =>
  ({ type: 'ChangeAccessKeyState', data: { uuid: KEY, stateEvent }, auth, now: LATER, accountExists: keyAccountExists(events, l) });
const deleteKey = (events: AccessKeyEvent[], uuid: string, auth: Auth, l = lookups()): AccessKeyCommand =>
  ({ type: 'DeleteAccessKey', data: { uuid }, auth, now: LATER, accountExists: keyAccountExists(events, l) });

describe('CreateAccessKey', () => {
  const cmd: CreateAccessKey = { uuid: KEY, accountUuid: ALICE, description: 'ci', given: {}, accessKeyId: 'GeneratedKeyId000001' };

  it('records the key with its secret sealed only, and the inventory never shows it', () => {
    given(accessKeyDecider).when(createKey(cmd, as(ALICE))).then((events, state) => {
      expect(events).toEqual([{
        type: 'AccessKeyCreated',
        data: { uuid: KEY, accountUuid: ALICE, userUuid: ALICE, description: 'ci', accessKeyId: 'GeneratedKeyId000001', secret: SEALED, state: 'Enabled', keyType: 'User', createDate: NOW },
      }]);
      expect(state!.inventory).toEqual({
        uuid: KEY, description: 'ci', accountUuid: ALICE, userUuid: ALICE, AccessKeyID: 'GeneratedKeyId000001', state: 'Enabled', type: 'User', createDate: NOW, lastOpDate: NOW,
      });
      expect(Object.keys(toInventory(state!.inventory, 'the-secret'))).toEqual([
        'uuid', 'description', 'accountUuid', 'userUuid', 'AccessKeyID', 'AccessKeySecret', 'state', 'type', 'createDate', 'lastOpDate',
      ]);
      expect(JSON.stringify(events)).not.toContain('the-secret');
    });
  });

  it('lets the admin create a key for any account', () => {
    given(accessKeyDecider).when(createKey(cmd, asAdmin)).then((events) => expect(events).toHaveLength(1));
  });

  it.each([
    ['for an account that does not exist, before the session is looked at', cmd, noSession, lookups({ accounts: [] }), [], 'SYS.1003',
      `invalid field[accountUuid], resource[uuid:${ALICE}, type:AccountVO] not found`],
    ['without a session', cmd, noSession, lookups(), [], 'ID.1001', 'Session expired'],
    ['by another normal account', cmd, as(BOB), lookups(), [], 'ID.1002', NO_PERMISSION],
    ['by a virtual ID within the account', cmd, asAlicesVirtualId, lookups(), [], 'ID.1002', NO_PERMISSION],
    ['with only an AccessKeyID', { ...cmd, given: { accessKeyId: 'GivenKeyId01' } }, as(ALICE), lookups(), [], 'SYS.1007',
      'If a specified Accesskey is expected, the AccesskeyId and the AccesskeySecret must be provided at the same time.'],
    ['with a colon in the AccessKeyID', { ...cmd, given: { accessKeyId: 'Given:KeyId', secret: 'secret-value' } }, as(ALICE), lookups(), [], 'SYS.1007',
      "Access key ID and secret cannot contain ':'"],
    ['on a used uuid', cmd, as(ALICE), lookups(), [created(KEY, ALICE)], 'SYS.1007', `invalid field[resourceUuid], a resource with uuid[${KEY}] already exists`],
    ['with an AccessKeyID in use', cmd, as(ALICE), lookups({ ids: { GeneratedKeyId000001: 'other' } }), [], 'SYS.1007',
      'the AccessKeyID[GeneratedKeyId000001] is already in use'],
    ['over the quota of 2', cmd, as(ALICE), lookups({ counts: { [ALICE]: 2 } }), [], 'ID.1003',
      `The number of access keys for account[uuid=${ALICE}] has exceeded the maximum limit`],
    ['over the quota of 2, for the admin account too', { ...cmd, accountUuid: ADMIN_ACCOUNT_UUID }, asAdmin, lookups({ counts: { [ADMIN_ACCOUNT_UUID]: 2 } }), [], 'ID.1003',
      `The number of access keys for account[uuid=${ADMIN_ACCOUNT_UUID}] has exceeded the maximum limit`],
  ])('is refused %s', (_what, command, auth, l, existing, code, details) => {
    given(accessKeyDecider, existing).when(createKey(command, auth, l)).thenThrows({ code, details });
  });
});

describe('ChangeAccessKeyState', () => {
  const key = [created(KEY, ALICE)];

  it('disables and enables, moving lastOpDate, and records nothing when the state does not change', () => {
    const off = given(accessKeyDecider, key).when(changeState(key, 'disable', as(ALICE))).then((events, disabled) => {
      expect(events).toEqual([{ type: 'AccessKeyStateChanged', data: { uuid: KEY, state: 'Disabled', lastOpDate: LATER } }]);
      expect(disabled!.inventory).toMatchObject({ state: 'Disabled', lastOpDate: LATER, createDate: NOW });
    });
    const disabled = [...key, ...off];
    given(accessKeyDecider, disabled).when(changeState(disabled, 'disable', asAdmin)).then([]);
    given(accessKeyDecider, disabled).when(changeState(disabled, 'enable', asAdmin))
      .then((events) => expect(events[0].data).toMatchObject({ state: 'Enabled' }));
  });

  it.each([
    ['an unknown key, before the session', [], noSession, lookups(), 'SYS.1003'],
    ['a deleted key', [created(KEY, ALICE), { type: 'AccessKeyDeleted', data: { uuid: KEY, deletedAt: LATER } } as AccessKeyEvent], asAdmin, lookups(), 'SYS.1003'],
    ['a key of a deleted account', key, asAdmin, lookups({ accounts: [ADMIN_ACCOUNT_UUID] }), 'SYS.1003'],
    ['another account\'s key', key, as(BOB), lookups(), 'ID.1002'],
    ['without a session', key, noSession, lookups(), 'ID.1001'],
  ])('refuses %s', (_what, events, auth, l, code) => {
    given(accessKeyDecider, events).when(changeState(events, 'disable', auth, l)).thenThrows(code);
  });
});

describe('DeleteAccessKey', () => {
  const key = [created(KEY, ALICE)];

  it('deletes the key; a deleted key no longer counts', () => {
    given(accessKeyDecider, key).when(deleteKey(key, KEY, as(ALICE))).then((events, after) => {
      expect(events).toEqual([{ type: 'AccessKeyDeleted', data: { uuid: KEY, deletedAt: LATER } }]);
      expect(after?.deleted).toBe(true);
    });
  });

  it('succeeds with nothing to do for a missing key, whoever asks (successIfResourceNotExisting)', () => {
    given(accessKeyDecider).when(deleteKey([], KEY, noSession)).then([]);
    given(accessKeyDecider, key).when(deleteKey(key, KEY, noSession, lookups({ accounts: [] }))).then([]);
  });

  it('refuses a malformed uuid, another account\'s key, and no session', () => {
    given(accessKeyDecider).when(deleteKey([], 'nope', asAdmin)).thenThrows({ code: 'SYS.1003', details: 'invalid value[nope] of field [uuid]' });
    given(accessKeyDecider, key).when(deleteKey(key, KEY, as(BOB))).thenThrows('ID.1002');
    given(accessKeyDecider, key).when(deleteKey(key, KEY, noSession)).thenThrows('ID.1001');
  });
});
