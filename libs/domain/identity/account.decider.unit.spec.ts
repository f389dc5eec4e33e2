import { ADMIN_ACCOUNT_UUID, ZStackError, type AccountEvent } from '@cp/contracts';
import { given } from '@cp/domain/testing';
import { accountDecider, type AccountCommand, type Auth, type CreateAccount, type NameLookup, type UpdateAccount } from './account.decider';

const NOW = '2026-11-28T12:00:00.000Z';
const LATER = '2026-11-28T13:00:00.000Z';
const ALICE = 'a11ce000000040008000000000000001';
const BOB = 'b0b00000000040008000000000000002';
const asAdmin: Auth = { ok: true, caller: { accountUuid: ADMIN_ACCOUNT_UUID, userUuid: ADMIN_ACCOUNT_UUID } };
const as = (accountUuid: string): Auth => ({ ok: true, caller: { accountUuid, userUuid: accountUuid } });
const VID = '7e1d0000000040008000000000000003';
/** A virtual ID the admin created: it acts within the admin account, but is not the admin. */
const asAdminsVirtualId: Auth = { ok: true, caller: { accountUuid: ADMIN_ACCOUNT_UUID, userUuid: VID, userType: 'IAM2VirtualID' } };
const noSession: Auth = { ok: false, error: new ZStackError('ID.1001', 'Session expired') };

const created = (uuid: string, name: string, type: 'Normal' | 'SystemAdmin' = 'Normal'): AccountEvent => ({
  type: 'AccountCreated',
  data: { uuid, name, type, state: 'Enabled', passwordHash: '$scrypt$hash-of-' + name, createDate: NOW },
});

const names = (...pairs: Array<[string, string]>) => (name: string) => new Map(pairs).get(name);
const noNames = () => undefined;

/** The command, with the read model's answer for its name (asked only when it names one). */
const createAccount = (data: CreateAccount, auth: Auth, o: { nameTakenBy?: NameLookup; passwordHash?: string } = {}): AccountCommand =>
  ({ type: 'CreateAccount', data, auth, now: NOW, passwordHash: o.passwordHash ?? 'h', nameTakenBy: (o.nameTakenBy ?? noNames)(data.name) });
const updateAccount = (
  data: UpdateAccount, auth: Auth, o: { nameTakenBy?: NameLookup; newPasswordHash?: string; oldPasswordMatches?: boolean } = {},
): AccountCommand => ({
  type: 'UpdateAccount', data, auth, now: LATER, newPasswordHash: o.newPasswordHash, oldPasswordMatches: o.oldPasswordMatches,
  nameTakenBy: data.name === undefined ? undefined : (o.nameTakenBy ?? noNames)(data.name),
});
const deleteAccount = (uuid: string, auth: Auth): AccountCommand => ({ type: 'DeleteAccount', data: { uuid }, auth, now: LATER });

describe('CreateAccount', () => {
  const cmd = { uuid: ALICE, name: 'alice', type: 'Normal' as const, state: 'Enabled' as const };

  it('creates an enabled normal account holding only the slow hash', () => {
    given(accountDecider).when(createAccount(cmd, asAdmin, { passwordHash: '$scrypt$x' })).then((events, state) => {
      expect(events).toEqual([{ type: 'AccountCreated', data: { uuid: ALICE, name: 'alice', type: 'Normal', state: 'Enabled', passwordHash: '$scrypt$x', createDate: NOW } }]);
      expect(state?.inventory).toEqual({ uuid: ALICE, name: 'alice', type: 'Normal', state: 'Enabled', createDate: NOW, lastOpDate: NOW });
    });
  });

  it.each([
    ['without a session', noSession, noNames, [], 'ID.1001'],
    ['by a normal account', as(BOB), noNames, [], 'ID.1002'],
    ['by a virtual ID of the admin account', asAdminsVirtualId, noNames, [], 'ID.1002'],
    ['with a taken name', asAdmin, names(['alice', BOB]), [], 'SYS.1007'],
    ['on a used uuid', asAdmin, noNames, [created(ALICE, 'old')], 'SYS.1007'],
  ])('is refused %s', (_what, auth, nameTakenBy, existing, code) => {
    given(accountDecider, existing).when(createAccount(cmd, auth, { nameTakenBy })).thenThrows(code);
  });
});

describe('UpdateAccount', () => {
  const base: UpdateAccount = { uuid: ALICE, changesPassword: false, checksOldPassword: false };
  const alice = [created(ALICE, 'alice')];

  it('records only what changes, and the new password as its hash', () => {
    given(accountDecider, alice)
      .when(updateAccount({ ...base, name: 'alice', description: 'hi', changesPassword: true }, as(ALICE), {
        nameTakenBy: names(['alice', ALICE]), newPasswordHash: '$scrypt$new',
      }))
      .then((events, after) => {
        expect(events).toEqual([
          { type: 'AccountUpdated', data: { uuid: ALICE, description: 'hi', lastOpDate: LATER } },
          { type: 'AccountPasswordChanged', data: { uuid: ALICE, passwordHash: '$scrypt$new', lastOpDate: LATER } },
        ]);
        expect(after?.inventory).toMatchObject({ description: 'hi', lastOpDate: LATER });
        expect(after?.passwordHash).toBe('$scrypt$new');
      });
  });

  it('checks resource existence before the session, as ZStack does', () => {
    given(accountDecider).when(updateAccount(base, noSession)).thenThrows('SYS.1003');
  });

  it.each([
    ['another account by a normal one', { ...base }, as(BOB), noNames, undefined, 'SYS.1006'],
    ['a name taken by another account', { ...base, name: 'bob' }, asAdmin, names(['bob', BOB]), undefined, 'SYS.1007'],
    ['a wrong old password', { ...base, changesPassword: true, checksOldPassword: true }, as(ALICE), noNames, false, 'SYS.1006'],
    ['a state change by a normal account', { ...base, state: 'Disabled' as const }, as(ALICE), noNames, undefined, 'ID.1002'],
  ])('refuses %s', (_what, cmd, auth, nameTakenBy, oldPasswordMatches, code) => {
    given(accountDecider, alice).when(updateAccount(cmd, auth, { nameTakenBy, newPasswordHash: 'h', oldPasswordMatches })).thenThrows(code);
  });

  it('never renames the built-in admin', () => {
    given(accountDecider, [created(ADMIN_ACCOUNT_UUID, 'admin', 'SystemAdmin')])
      .when(updateAccount({ ...base, uuid: ADMIN_ACCOUNT_UUID, name: 'root' }, asAdmin))
      .thenThrows({ code: 'SYS.1006', details: 'the name of admin account cannot be updated' });
  });
});

describe('DeleteAccount', () => {
  it('deletes, and deleting a missing well-formed uuid succeeds with no event', () => {
    given(accountDecider, [created(ALICE, 'alice')]).when(deleteAccount(ALICE, asAdmin))
      .then([{ type: 'AccountDeleted', data: { uuid: ALICE, deletedAt: LATER } }]);
    given(accountDecider).when(deleteAccount(BOB, noSession)).then([]);
    expect(given(accountDecider, [created(ALICE, 'alice'), { type: 'AccountDeleted', data: { uuid: ALICE, deletedAt: LATER } }]).state?.deleted).toBe(true);
  });

  it.each([
    ['a malformed uuid', 'nope', [], asAdmin, { code: 'SYS.1003', details: 'invalid value[nope] of field [uuid]' }],
    ['the admin deleting itself', ADMIN_ACCOUNT_UUID, [created(ADMIN_ACCOUNT_UUID, 'admin', 'SystemAdmin')], asAdmin, { code: 'SYS.1007', details: 'account cannot delete itself' }],
    ['a normal account', ALICE, [created(ALICE, 'alice')], as(BOB), { code: 'SYS.1007', details: 'Only admin can delete account.' }],
  ])('refuses %s', (_what, uuid, events, auth, expected) => {
    given(accountDecider, events).when(deleteAccount(uuid, auth)).thenThrows(expected);
  });
});
