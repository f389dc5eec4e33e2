import { ADMIN_ACCOUNT_UUID, ZStackError, type AccountEvent } from '@cp/contracts';
import {
  decideCreateAccount, decideDeleteAccount, decideUpdateAccount, evolve, type AccountState, type Auth, type UpdateAccount,
} from './account.decider';

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

/** given(events): the state they fold to. */
const given = (...events: AccountEvent[]): AccountState | null => events.reduce<AccountState | null>(evolve, null);
const names = (...pairs: Array<[string, string]>) => (name: string) => new Map(pairs).get(name);
const noNames = () => undefined;

function refused(fn: () => unknown): { code: string; details: string } {
  try {
    fn();
  } catch (error) {
    if (error instanceof ZStackError) return { code: error.code, details: error.details };
    throw error;
  }
  throw new Error('expected the command to be refused');
}

describe('CreateAccount', () => {
  const cmd = { uuid: ALICE, name: 'alice', type: 'Normal' as const, state: 'Enabled' as const };

  it('creates an enabled normal account holding only the slow hash', () => {
    const events = decideCreateAccount(cmd, null, asAdmin, { nameTakenBy: noNames, passwordHash: '$scrypt$x', now: NOW });
    expect(events).toEqual([{ type: 'AccountCreated', data: { uuid: ALICE, name: 'alice', type: 'Normal', state: 'Enabled', passwordHash: '$scrypt$x', createDate: NOW } }]);
    expect(given(...events)?.inventory).toEqual({ uuid: ALICE, name: 'alice', type: 'Normal', state: 'Enabled', createDate: NOW, lastOpDate: NOW });
  });

  it.each([
    ['without a session', noSession, noNames, null, 'ID.1001'],
    ['by a normal account', as(BOB), noNames, null, 'ID.1002'],
    ['by a virtual ID of the admin account', asAdminsVirtualId, noNames, null, 'ID.1002'],
    ['with a taken name', asAdmin, names(['alice', BOB]), null, 'SYS.1007'],
    ['on a used uuid', asAdmin, noNames, given(created(ALICE, 'old')), 'SYS.1007'],
  ])('is refused %s', (_what, auth, nameTakenBy, existing, code) => {
    expect(refused(() => decideCreateAccount(cmd, existing, auth, { nameTakenBy, passwordHash: 'h', now: NOW })).code).toBe(code);
  });
});

describe('UpdateAccount', () => {
  const base: UpdateAccount = { uuid: ALICE, changesPassword: false, checksOldPassword: false };
  const alice = given(created(ALICE, 'alice'));

  it('records only what changes, and the new password as its hash', () => {
    const events = decideUpdateAccount({ ...base, name: 'alice', description: 'hi', changesPassword: true }, alice, as(ALICE), {
      nameTakenBy: names(['alice', ALICE]), now: LATER, newPasswordHash: '$scrypt$new',
    });
    expect(events).toEqual([
      { type: 'AccountUpdated', data: { uuid: ALICE, description: 'hi', lastOpDate: LATER } },
      { type: 'AccountPasswordChanged', data: { uuid: ALICE, passwordHash: '$scrypt$new', lastOpDate: LATER } },
    ]);
    const after = events.reduce(evolve, alice);
    expect(after?.inventory).toMatchObject({ description: 'hi', lastOpDate: LATER });
    expect(after?.passwordHash).toBe('$scrypt$new');
  });

  it('checks resource existence before the session, as ZStack does', () => {
    expect(refused(() => decideUpdateAccount(base, null, noSession, { nameTakenBy: noNames, now: LATER })).code).toBe('SYS.1003');
  });

  it.each([
    ['another account by a normal one', { ...base }, as(BOB), noNames, undefined, 'SYS.1006'],
    ['a name taken by another account', { ...base, name: 'bob' }, asAdmin, names(['bob', BOB]), undefined, 'SYS.1007'],
    ['a wrong old password', { ...base, changesPassword: true, checksOldPassword: true }, as(ALICE), noNames, false, 'SYS.1006'],
    ['a state change by a normal account', { ...base, state: 'Disabled' as const }, as(ALICE), noNames, undefined, 'ID.1002'],
  ])('refuses %s', (_what, cmd, auth, nameTakenBy, oldPasswordMatches, code) => {
    expect(refused(() => decideUpdateAccount(cmd, alice, auth, { nameTakenBy, now: LATER, newPasswordHash: 'h', oldPasswordMatches })).code).toBe(code);
  });

  it('never renames the built-in admin', () => {
    const adminState = given(created(ADMIN_ACCOUNT_UUID, 'admin', 'SystemAdmin'));
    const r = refused(() => decideUpdateAccount({ ...base, uuid: ADMIN_ACCOUNT_UUID, name: 'root' }, adminState, asAdmin, { nameTakenBy: noNames, now: LATER }));
    expect(r).toEqual({ code: 'SYS.1006', details: 'the name of admin account cannot be updated' });
  });
});

describe('DeleteAccount', () => {
  it('deletes, and deleting a missing well-formed uuid succeeds with no event', () => {
    expect(decideDeleteAccount(ALICE, given(created(ALICE, 'alice')), asAdmin, LATER)).toEqual([{ type: 'AccountDeleted', data: { uuid: ALICE, deletedAt: LATER } }]);
    expect(decideDeleteAccount(BOB, null, noSession, LATER)).toEqual([]);
    expect(given(created(ALICE, 'alice'), { type: 'AccountDeleted', data: { uuid: ALICE, deletedAt: LATER } })?.deleted).toBe(true);
  });

  it.each([
    ['a malformed uuid', 'nope', null, asAdmin, { code: 'SYS.1003', details: 'invalid value[nope] of field [uuid]' }],
    ['the admin deleting itself', ADMIN_ACCOUNT_UUID, given(created(ADMIN_ACCOUNT_UUID, 'admin', 'SystemAdmin')), asAdmin, { code: 'SYS.1007', details: 'account cannot delete itself' }],
    ['a normal account', ALICE, given(created(ALICE, 'alice')), as(BOB), { code: 'SYS.1007', details: 'Only admin can delete account.' }],
  ])('refuses %s', (_what, uuid, state, auth, expected) => {
    expect(refused(() => decideDeleteAccount(uuid, state, auth, LATER))).toEqual(expected);
  });
});
