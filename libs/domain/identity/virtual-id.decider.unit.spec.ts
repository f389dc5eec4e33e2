import { ADMIN_ACCOUNT_UUID, ZStackError, attributeInfosOf, type IAM2VirtualIDEvent } from '@cp/contracts';
import type { Auth } from './account.decider';
import {
  decideAddAttributes, decideChangeVirtualIDState, decideChangeVirtualIDType, decideCreateVirtualID, decideDeleteVirtualID,
  decideRemoveAttributes, decideUpdateAttribute, decideUpdateVirtualID, evolve,
  type CreateVirtualID, type UpdateVirtualID, type VirtualIDState,
} from './virtual-id.decider';

const NOW = '2026-11-28T12:00:00.000Z';
const LATER = '2026-11-28T13:00:00.000Z';
const VID = '894f1c5bf6714a76b08324c69b8cac7c';
const OTHER = '7e1d0000000040008000000000000003';
const ATTR = '04f039d7f3f04dc5a1b6bf9fe93e6cdd';
const ATTR2 = '04f039d7f3f04dc5a1b6bf9fe93e6cde';
const BOB = 'b0b00000000040008000000000000002';

const asAdmin: Auth = { ok: true, caller: { accountUuid: ADMIN_ACCOUNT_UUID, userUuid: ADMIN_ACCOUNT_UUID } };
const asAccount = (uuid: string): Auth => ({ ok: true, caller: { accountUuid: uuid, userUuid: uuid } });
/** The virtual ID's own session: it acts within the admin account, but it is not the admin. */
const asVirtualId = (uuid = VID): Auth => ({ ok: true, caller: { accountUuid: ADMIN_ACCOUNT_UUID, userUuid: uuid, userType: 'IAM2VirtualID' } });
const noSession: Auth = { ok: false, error: new ZStackError('ID.1001', 'Session expired') };

const created = (uuid = VID, name = 'id1', attributes = [{ uuid: ATTR, name: 'attribute-name', value: 'attribute-value', type: 'Customized' as const }]): IAM2VirtualIDEvent => ({
  type: 'IAM2VirtualIDCreated',
  data: {
    uuid, name, type: 'ZStack', state: 'Enabled', passwordHash: `$scrypt$hash-of-${name}`, accountUuid: ADMIN_ACCOUNT_UUID,
    attributes, createDate: NOW,
  },
});
const deleted = (uuid = VID): IAM2VirtualIDEvent => ({ type: 'IAM2VirtualIDDeleted', data: { uuid, deletedAt: LATER } });

/** given(events): the state they fold to. */
const given = (...events: IAM2VirtualIDEvent[]): VirtualIDState | null => events.reduce<VirtualIDState | null>(evolve, null);
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

const notFoundText = (uuid: string) => `invalid field[uuid], resource[uuid:${uuid}, type:IAM2VirtualIDVO] not found`;
const adminOnlyText = (msg: string) => `request api[name: org.zstack.iam2.api.${msg}] is admin only, can not be executed by current user`;

describe('CreateIAM2VirtualID', () => {
  const cmd: CreateVirtualID = { uuid: VID, name: 'id1', attributes: [{ uuid: ATTR, name: 'attribute-name', value: 'attribute-value' }] };

  it('records the creator account as owner, the slow hash and Customized attributes with their uuids', () => {
    const events = decideCreateVirtualID(cmd, null, asAdmin, { nameTakenBy: noNames, passwordHash: '$scrypt$x', now: NOW });
    expect(events).toEqual([{
      type: 'IAM2VirtualIDCreated',
      data: {
        uuid: VID, name: 'id1', type: 'ZStack', state: 'Enabled', passwordHash: '$scrypt$x', accountUuid: ADMIN_ACCOUNT_UUID,
        attributes: [{ uuid: ATTR, name: 'attribute-name', value: 'attribute-value', type: 'Customized' }], createDate: NOW,
      },
    }]);
    const state = given(...events)!;
    expect(state.ownerAccountUuid).toBe(ADMIN_ACCOUNT_UUID);
    expect(state.inventory).toEqual({
      uuid: VID, name: 'id1', type: 'ZStack', state: 'Enabled', createDate: NOW, lastOpDate: NOW,
      attributes: [{ uuid: ATTR, name: 'attribute-name', value: 'attribute-value', type: 'Customized', createDate: NOW, lastOpDate: NOW, virtualIDUuid: VID }],
    });
    expect(Object.keys(state.inventory)).toEqual(['uuid', 'name', 'type', 'state', 'createDate', 'lastOpDate', 'attributes']);
    expect(Object.isFrozen(state.inventory) && Object.isFrozen(state.inventory.attributes)).toBe(true);
  });

  it.each([
    ['a project (none exist yet) before the session', { ...cmd, projectUuid: OTHER }, noSession, noNames, null,
      { code: 'SYS.1003', details: `invalid field[projectUuid], resource[uuid:${OTHER}, type:IAM2ProjectVO] not found` }],
    ['an organization (none exist yet)', { ...cmd, organizationUuid: OTHER }, asAdmin, noNames, null,
      { code: 'SYS.1003', details: `invalid field[organizationUuid], resource[uuid:${OTHER}, type:IAM2OrganizationVO] not found` }],
    ['without a session', cmd, noSession, noNames, null, { code: 'ID.1001', details: 'Session expired' }],
    ['by a normal account', cmd, asAccount(BOB), noNames, null, { code: 'ID.1002', details: adminOnlyText('APICreateIAM2VirtualIDMsg') }],
    ['by a virtual ID', cmd, asVirtualId(OTHER), noNames, null, { code: 'ID.1002', details: adminOnlyText('APICreateIAM2VirtualIDMsg') }],
    ['with a taken name', cmd, asAdmin, names(['id1', OTHER]), null,
      { code: 'SYS.1007', details: 'unable to create a virtual ID. A virtual ID already called id1' }],
    ['on a used uuid', cmd, asAdmin, noNames, given(created(VID, 'old')),
      { code: 'SYS.1007', details: `invalid field[resourceUuid], a resource with uuid[${VID}] already exists` }],
  ])('is refused for %s', (_what, command, auth, nameTakenBy, existing, expected) => {
    expect(refused(() => decideCreateVirtualID(command, existing, auth, { nameTakenBy, passwordHash: 'h', now: NOW }))).toEqual(expected);
  });
});

describe('UpdateIAM2VirtualID', () => {
  const base: UpdateVirtualID = { uuid: VID, changesPassword: false, checksOldPassword: false };
  const id1 = given(created());

  it('records only what changes, and a new password as its hash', () => {
    const events = decideUpdateVirtualID({ ...base, name: 'id1', description: 'first', changesPassword: true }, id1, asAdmin, {
      nameTakenBy: names(['id1', VID]), now: LATER, newPasswordHash: '$scrypt$new',
    });
    expect(events).toEqual([
      { type: 'IAM2VirtualIDUpdated', data: { uuid: VID, description: 'first', lastOpDate: LATER } },
      { type: 'IAM2VirtualIDPasswordChanged', data: { uuid: VID, passwordHash: '$scrypt$new', lastOpDate: LATER } },
    ]);
    const after = events.reduce(evolve, id1)!;
    expect(after.inventory).toMatchObject({ name: 'id1', description: 'first', lastOpDate: LATER });
    expect(Object.keys(after.inventory)).toEqual(['uuid', 'name', 'description', 'type', 'state', 'createDate', 'lastOpDate', 'attributes']);
    expect(after.passwordHash).toBe('$scrypt$new');
    expect(decideUpdateVirtualID({ ...base, name: 'id1' }, id1, asAdmin, { nameTakenBy: names(['id1', VID]), now: LATER })).toEqual([]);
  });

  it.each([
    ['a missing virtual ID, before the session', base, null, noSession, noNames, undefined, { code: 'SYS.1003', details: notFoundText(VID) }],
    ['a deleted virtual ID', base, given(created(), deleted()), asAdmin, noNames, undefined, { code: 'SYS.1003', details: notFoundText(VID) }],
    ['an invalid session', base, id1, noSession, noNames, undefined, { code: 'ID.1001', details: 'Session expired' }],
    ['the virtual ID itself', { ...base, description: 'me' }, id1, asVirtualId(), noNames, undefined, { code: 'ID.1002', details: adminOnlyText('APIUpdateIAM2VirtualIDMsg') }],
    ['a normal account', base, id1, asAccount(BOB), noNames, undefined, { code: 'ID.1002', details: adminOnlyText('APIUpdateIAM2VirtualIDMsg') }],
    ['a name taken by another virtual ID', { ...base, name: 'id2' }, id1, asAdmin, names(['id2', OTHER]), undefined,
      { code: 'SYS.1007', details: 'unable to update name. A virtual ID already called id2' }],
    ['a wrong old password', { ...base, changesPassword: true, checksOldPassword: true }, id1, asAdmin, noNames, false,
      { code: 'SYS.1006', details: `old password is not equal to the original password, cannot update the password of virtual ID[uuid: ${VID}]` }],
  ])('refuses %s', (_what, cmd, state, auth, nameTakenBy, oldPasswordMatches, expected) => {
    expect(refused(() => decideUpdateVirtualID(cmd, state, auth, { nameTakenBy, now: LATER, newPasswordHash: 'h', oldPasswordMatches }))).toEqual(expected);
  });
});

describe('ChangeIAM2VirtualIDState and ChangeIAM2VirtualIDType', () => {
  const id1 = given(created());

  it('disables and enables, recording only a change', () => {
    const disabled = decideChangeVirtualIDState({ uuid: VID, stateEvent: 'disable' }, id1, asAdmin, LATER);
    expect(disabled).toEqual([{ type: 'IAM2VirtualIDStateChanged', data: { uuid: VID, state: 'Disabled', lastOpDate: LATER } }]);
    const state = disabled.reduce(evolve, id1);
    expect(state?.inventory).toMatchObject({ state: 'Disabled', lastOpDate: LATER });
    expect(decideChangeVirtualIDState({ uuid: VID, stateEvent: 'disable' }, state, asAdmin, LATER)).toEqual([]);
    expect(decideChangeVirtualIDState({ uuid: VID, stateEvent: 'enable' }, state, asAdmin, LATER)[0]).toMatchObject({ data: { state: 'Enabled' } });
  });

  it('changes the type only when it differs', () => {
    expect(decideChangeVirtualIDType({ uuid: VID, type: 'ZStack' }, id1, asAdmin, LATER)).toEqual([]);
    const ldap = given({ ...created(), data: { ...(created().data as object), type: 'Ldap' } } as IAM2VirtualIDEvent);
    const events = decideChangeVirtualIDType({ uuid: VID, type: 'ZStack' }, ldap, asAdmin, LATER);
    expect(events).toEqual([{ type: 'IAM2VirtualIDTypeChanged', data: { uuid: VID, type: 'ZStack', lastOpDate: LATER } }]);
    expect(events.reduce(evolve, ldap)?.inventory.type).toBe('ZStack');
  });

  it.each([
    ['a missing virtual ID', null, asAdmin, 'SYS.1003'],
    ['a virtual ID changing itself', id1, asVirtualId(), 'ID.1002'],
    ['no session', id1, noSession, 'ID.1001'],
  ])('refuses %s', (_what, state, auth, code) => {
    expect(refused(() => decideChangeVirtualIDState({ uuid: VID, stateEvent: 'disable' }, state, auth, LATER)).code).toBe(code);
    expect(refused(() => decideChangeVirtualIDType({ uuid: VID, type: 'ZStack' }, state, auth, LATER)).code).toBe(code);
  });
});

describe('DeleteIAM2VirtualID', () => {
  it('deletes, and deleting a missing well-formed uuid succeeds with no event, before the session', () => {
    expect(decideDeleteVirtualID(VID, given(created()), asAdmin, LATER)).toEqual([deleted()]);
    expect(decideDeleteVirtualID(VID, null, noSession, LATER)).toEqual([]);
    expect(decideDeleteVirtualID(VID, given(created(), deleted()), noSession, LATER)).toEqual([]);
    expect(given(created(), deleted())?.deleted).toBe(true);
  });

  it.each([
    ['a malformed uuid', 'nope', null, asAdmin, { code: 'SYS.1003', details: 'invalid value[nope] of field [uuid]' }],
    ['a normal account', VID, given(created()), asAccount(BOB), { code: 'ID.1002', details: adminOnlyText('APIDeleteIAM2VirtualIDMsg') }],
    ['the virtual ID itself', VID, given(created()), asVirtualId(), { code: 'ID.1002', details: adminOnlyText('APIDeleteIAM2VirtualIDMsg') }],
  ])('refuses %s', (_what, uuid, state, auth, expected) => {
    expect(refused(() => decideDeleteVirtualID(uuid, state, auth, LATER))).toEqual(expected);
  });
});

describe('attributes', () => {
  const id1 = given(created());

  it('adds Customized attributes with their own dates, leaving the virtual ID lastOpDate alone; a retry adds nothing twice', () => {
    const cmd = { uuid: VID, attributes: [{ uuid: ATTR2, name: 'team', value: 'blue' }] };
    const events = decideAddAttributes(cmd, id1, asAdmin, LATER);
    expect(events).toEqual([{
      type: 'IAM2VirtualIDAttributesAdded',
      data: { uuid: VID, attributes: [{ uuid: ATTR2, name: 'team', value: 'blue', type: 'Customized' }], createDate: LATER },
    }]);
    const after = events.reduce(evolve, id1)!;
    expect(after.inventory.lastOpDate).toBe(NOW);
    expect(after.inventory.attributes[1]).toEqual({ uuid: ATTR2, name: 'team', value: 'blue', type: 'Customized', createDate: LATER, lastOpDate: LATER, virtualIDUuid: VID });
    expect(decideAddAttributes(cmd, after, asAdmin, LATER)).toEqual([]);
    expect(events.reduce(evolve, after)?.inventory.attributes).toHaveLength(2);
  });

  it('removes attributes of this virtual ID, once each', () => {
    const events = decideRemoveAttributes({ uuid: VID, attributeUuids: [ATTR, ATTR] }, id1, asAdmin, LATER);
    expect(events).toEqual([{ type: 'IAM2VirtualIDAttributesRemoved', data: { uuid: VID, attributeUuids: [ATTR], removedAt: LATER } }]);
    expect(events.reduce(evolve, id1)?.inventory.attributes).toEqual([]);
  });

  it('updates an attribute value and its lastOpDate, found by the attribute uuid alone', () => {
    const events = decideUpdateAttribute({ attributeUuid: ATTR, value: 'new' }, id1, asAdmin, LATER);
    expect(events).toEqual([{ type: 'IAM2VirtualIDAttributeUpdated', data: { uuid: VID, attributeUuid: ATTR, value: 'new', lastOpDate: LATER } }]);
    expect(events.reduce(evolve, id1)?.inventory.attributes[0]).toMatchObject({ value: 'new', createDate: NOW, lastOpDate: LATER });
    expect(decideUpdateAttribute({ attributeUuid: ATTR, value: 'attribute-value' }, id1, asAdmin, LATER)).toEqual([]);
  });

  it.each([
    ['adding to a missing virtual ID', () => decideAddAttributes({ uuid: VID, attributes: [] }, null, asAdmin, LATER), { code: 'SYS.1003', details: notFoundText(VID) }],
    ['adding as the virtual ID', () => decideAddAttributes({ uuid: VID, attributes: [] }, id1, asVirtualId(), LATER), { code: 'ID.1002', details: adminOnlyText('APIAddAttributesToIAM2VirtualIDMsg') }],
    ['removing an attribute it does not have, before the session', () => decideRemoveAttributes({ uuid: VID, attributeUuids: [ATTR2] }, id1, noSession, LATER),
      { code: 'SYS.1003', details: `invalid field[attributeUuids], resource[uuid:${ATTR2}, type:IAM2VirtualIDAttributeVO] not found` }],
    ['removing as a normal account', () => decideRemoveAttributes({ uuid: VID, attributeUuids: [ATTR] }, id1, asAccount(BOB), LATER), { code: 'ID.1002', details: adminOnlyText('APIRemoveAttributesFromIAM2VirtualIDMsg') }],
    ['updating an unknown attribute', () => decideUpdateAttribute({ attributeUuid: ATTR2, value: 'v' }, id1, asAdmin, LATER),
      { code: 'SYS.1003', details: `invalid field[uuid], resource[uuid:${ATTR2}, type:IAM2VirtualIDAttributeVO] not found` }],
    ['updating as the virtual ID', () => decideUpdateAttribute({ attributeUuid: ATTR, value: 'v' }, id1, asVirtualId(), LATER), { code: 'ID.1002', details: adminOnlyText('APIUpdateIAM2VirtualIDAttributeMsg') }],
  ])('refuses %s', (_what, fn, expected) => {
    expect(refused(fn)).toEqual(expected);
  });

  it.each([
    ['well-formed elements', [{ name: 'n', value: 'v' }, { name: 'm' }], null],
    ['a null element', [null], 'field[attributes] cannot contain a NULL element'],
    ['an element that is no map', ['x'], 'field[attributes[0]] of message[M] must be a map of name and value, but x found'],
    ['no name', [{ value: 'v' }], 'field[attributes[0].name] of message[M] is mandatory, can not be null'],
    ['an empty name', [{ name: 'a' }, { name: '' }], 'field[attributes[1].name] cannot be an empty string'],
    ['a long name', [{ name: 'n'.repeat(256) }], 'field[attributes[0].name] of message[M] exceeds max length of string. expected was <= 255, actual was 256'],
    ['a value that is no string', [{ name: 'n', value: 7 }], 'field[attributes[0].value] of message[M] must be a string, but 7 found'],
    ['a long value', [{ name: 'n', value: 'v'.repeat(2049) }], 'field[attributes[0].value] of message[M] exceeds max length of string. expected was <= 2048, actual was 2049'],
  ])('checks attribute elements: %s', (_what, list, error) => {
    if (error === null) expect(attributeInfosOf(list, 'M')).toEqual([{ name: 'n', value: 'v' }, { name: 'm' }]);
    else expect(refused(() => attributeInfosOf(list, 'M'))).toEqual({ code: 'SYS.1007', details: error });
  });
});
