import { ADMIN_ACCOUNT_UUID, ZStackError, attributeInfosOf, type IAM2VirtualIDEvent, type IAM2VirtualIDStateEvent } from '@cp/contracts';
import { given } from '@cp/domain/testing';
import type { Auth } from './account.decider';
import {
  virtualIDDecider, type CreateVirtualID, type NameLookup, type UpdateVirtualID, type VirtualIDCommand,
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

/** The commands, with the read model's answer for the name (asked only when the command names one). */
const createVirtualID = (data: CreateVirtualID, auth: Auth, o: { nameTakenBy?: NameLookup; passwordHash?: string } = {}): VirtualIDCommand =>
  ({ type: 'CreateIAM2VirtualID', data, auth, now: NOW, passwordHash: o.passwordHash ?? 'h', nameTakenBy: (o.nameTakenBy ?? noNames)(data.name) });
const updateVirtualID = (
  data: UpdateVirtualID, auth: Auth, o: { nameTakenBy?: NameLookup; newPasswordHash?: string; oldPasswordMatches?: boolean } = {},
): VirtualIDCommand => ({
  type: 'UpdateIAM2VirtualID', data, auth, now: LATER, newPasswordHash: o.newPasswordHash, oldPasswordMatches: o.oldPasswordMatches,
  nameTakenBy: data.name === undefined ? undefined : (o.nameTakenBy ?? noNames)(data.name),
});
const changeState = (stateEvent: IAM2VirtualIDStateEvent, auth: Auth): VirtualIDCommand =>
  ({ type: 'ChangeIAM2VirtualIDState', data: { uuid: VID, stateEvent }, auth, now: LATER });
const changeType = (type: string, auth: Auth): VirtualIDCommand => ({ type: 'ChangeIAM2VirtualIDType', data: { uuid: VID, type }, auth, now: LATER });
const deleteVirtualID = (uuid: string, auth: Auth): VirtualIDCommand => ({ type: 'DeleteIAM2VirtualID', data: { uuid }, auth, now: LATER });
const addAttributes = (data: { uuid: string; attributes: Array<{ uuid: string; name: string; value?: string }> }, auth: Auth): VirtualIDCommand =>
  ({ type: 'AddAttributesToIAM2VirtualID', data, auth, now: LATER });
const removeAttributes = (attributeUuids: string[], auth: Auth): VirtualIDCommand =>
  ({ type: 'RemoveAttributesFromIAM2VirtualID', data: { uuid: VID, attributeUuids }, auth, now: LATER });
const updateAttribute = (attributeUuid: string, value: string, auth: Auth): VirtualIDCommand =>
  ({ type: 'UpdateIAM2VirtualIDAttribute', data: { attributeUuid, value }, auth, now: LATER });

describe('CreateIAM2VirtualID', () => {
  const cmd: CreateVirtualID = { uuid: VID, name: 'id1', attributes: [{ uuid: ATTR, name: 'attribute-name', value: 'attribute-value' }] };

  it('records the creator account as owner, the slow hash and Customized attributes with their uuids', () => {
    given(virtualIDDecider).when(createVirtualID(cmd, asAdmin, { passwordHash: '$scrypt$x' })).then((events, state) => {
      expect(events).toEqual([{
        type: 'IAM2VirtualIDCreated',
        data: {
          uuid: VID, name: 'id1', type: 'ZStack', state: 'Enabled', passwordHash: '$scrypt$x', accountUuid: ADMIN_ACCOUNT_UUID,
          attributes: [{ uuid: ATTR, name: 'attribute-name', value: 'attribute-value', type: 'Customized' }], createDate: NOW,
        },
      }]);
      expect(state!.ownerAccountUuid).toBe(ADMIN_ACCOUNT_UUID);
      expect(state!.inventory).toEqual({
        uuid: VID, name: 'id1', type: 'ZStack', state: 'Enabled', createDate: NOW, lastOpDate: NOW,
        attributes: [{ uuid: ATTR, name: 'attribute-name', value: 'attribute-value', type: 'Customized', createDate: NOW, lastOpDate: NOW, virtualIDUuid: VID }],
      });
      expect(Object.keys(state!.inventory)).toEqual(['uuid', 'name', 'type', 'state', 'createDate', 'lastOpDate', 'attributes']);
      expect(Object.isFrozen(state!.inventory) && Object.isFrozen(state!.inventory.attributes)).toBe(true);
    });
  });

  it.each([
    ['a project (none exist yet) before the session', { ...cmd, projectUuid: OTHER }, noSession, noNames, [],
      { code: 'SYS.1003', details: `invalid field[projectUuid], resource[uuid:${OTHER}, type:IAM2ProjectVO] not found` }],
    ['an organization (none exist yet)', { ...cmd, organizationUuid: OTHER }, asAdmin, noNames, [],
      { code: 'SYS.1003', details: `invalid field[organizationUuid], resource[uuid:${OTHER}, type:IAM2OrganizationVO] not found` }],
    ['without a session', cmd, noSession, noNames, [], { code: 'ID.1001', details: 'Session expired' }],
    ['by a normal account', cmd, asAccount(BOB), noNames, [], { code: 'ID.1002', details: adminOnlyText('APICreateIAM2VirtualIDMsg') }],
    ['by a virtual ID', cmd, asVirtualId(OTHER), noNames, [], { code: 'ID.1002', details: adminOnlyText('APICreateIAM2VirtualIDMsg') }],
    ['with a taken name', cmd, asAdmin, names(['id1', OTHER]), [],
      { code: 'SYS.1007', details: 'unable to create a virtual ID. A virtual ID already called id1' }],
    ['on a used uuid', cmd, asAdmin, noNames, [created(VID, 'old')],
      { code: 'SYS.1007', details: `invalid field[resourceUuid], a resource with uuid[${VID}] already exists` }],
  ])('is refused for %s', (_what, command, auth, nameTakenBy, existing, expected) => {
    given(virtualIDDecider, existing).when(createVirtualID(command, auth, { nameTakenBy })).thenThrows(expected);
  });
});

describe('UpdateIAM2VirtualID', () => {
  const base: UpdateVirtualID = { uuid: VID, changesPassword: false, checksOldPassword: false };
  const id1 = [created()];

  it('records only what changes, and a new password as its hash', () => {
    given(virtualIDDecider, id1)
      .when(updateVirtualID({ ...base, name: 'id1', description: 'first', changesPassword: true }, asAdmin, {
        nameTakenBy: names(['id1', VID]), newPasswordHash: '$scrypt$new',
      }))
      .then((events, after) => {
        expect(events).toEqual([
          { type: 'IAM2VirtualIDUpdated', data: { uuid: VID, description: 'first', lastOpDate: LATER } },
          { type: 'IAM2VirtualIDPasswordChanged', data: { uuid: VID, passwordHash: '$scrypt$new', lastOpDate: LATER } },
        ]);
        expect(after!.inventory).toMatchObject({ name: 'id1', description: 'first', lastOpDate: LATER });
        expect(Object.keys(after!.inventory)).toEqual(['uuid', 'name', 'description', 'type', 'state', 'createDate', 'lastOpDate', 'attributes']);
        expect(after!.passwordHash).toBe('$scrypt$new');
      });
    given(virtualIDDecider, id1).when(updateVirtualID({ ...base, name: 'id1' }, asAdmin, { nameTakenBy: names(['id1', VID]) })).then([]);
  });

  it.each([
    ['a missing virtual ID, before the session', base, [], noSession, noNames, undefined, { code: 'SYS.1003', details: notFoundText(VID) }],
    ['a deleted virtual ID', base, [created(), deleted()], asAdmin, noNames, undefined, { code: 'SYS.1003', details: notFoundText(VID) }],
    ['an invalid session', base, id1, noSession, noNames, undefined, { code: 'ID.1001', details: 'Session expired' }],
    ['the virtual ID itself', { ...base, description: 'me' }, id1, asVirtualId(), noNames, undefined, { code: 'ID.1002', details: adminOnlyText('APIUpdateIAM2VirtualIDMsg') }],
    ['a normal account', base, id1, asAccount(BOB), noNames, undefined, { code: 'ID.1002', details: adminOnlyText('APIUpdateIAM2VirtualIDMsg') }],
    ['a name taken by another virtual ID', { ...base, name: 'id2' }, id1, asAdmin, names(['id2', OTHER]), undefined,
      { code: 'SYS.1007', details: 'unable to update name. A virtual ID already called id2' }],
    ['a wrong old password', { ...base, changesPassword: true, checksOldPassword: true }, id1, asAdmin, noNames, false,
      { code: 'SYS.1006', details: `old password is not equal to the original password, cannot update the password of virtual ID[uuid: ${VID}]` }],
  ])('refuses %s', (_what, cmd, events, auth, nameTakenBy, oldPasswordMatches, expected) => {
    given(virtualIDDecider, events).when(updateVirtualID(cmd, auth, { nameTakenBy, newPasswordHash: 'h', oldPasswordMatches })).thenThrows(expected);
  });
});

describe('ChangeIAM2VirtualIDState and ChangeIAM2VirtualIDType', () => {
  const id1 = [created()];

  it('disables and enables, recording only a change', () => {
    const disabled = given(virtualIDDecider, id1).when(changeState('disable', asAdmin)).then((events, state) => {
      expect(events).toEqual([{ type: 'IAM2VirtualIDStateChanged', data: { uuid: VID, state: 'Disabled', lastOpDate: LATER } }]);
      expect(state?.inventory).toMatchObject({ state: 'Disabled', lastOpDate: LATER });
    });
    given(virtualIDDecider, [...id1, ...disabled]).when(changeState('disable', asAdmin)).then([]);
    given(virtualIDDecider, [...id1, ...disabled]).when(changeState('enable', asAdmin))
      .then((events) => expect(events[0]).toMatchObject({ data: { state: 'Enabled' } }));
  });

  it('changes the type only when it differs', () => {
    given(virtualIDDecider, id1).when(changeType('ZStack', asAdmin)).then([]);
    const ldap = [{ ...created(), data: { ...(created().data as object), type: 'Ldap' } } as IAM2VirtualIDEvent];
    given(virtualIDDecider, ldap).when(changeType('ZStack', asAdmin)).then((events, state) => {
      expect(events).toEqual([{ type: 'IAM2VirtualIDTypeChanged', data: { uuid: VID, type: 'ZStack', lastOpDate: LATER } }]);
      expect(state?.inventory.type).toBe('ZStack');
    });
  });

  it.each([
    ['a missing virtual ID', [], asAdmin, 'SYS.1003'],
    ['a virtual ID changing itself', id1, asVirtualId(), 'ID.1002'],
    ['no session', id1, noSession, 'ID.1001'],
  ])('refuses %s', (_what, events, auth, code) => {
    given(virtualIDDecider, events).when(changeState('disable', auth)).thenThrows(code);
    given(virtualIDDecider, events).when(changeType('ZStack', auth)).thenThrows(code);
  });
});

describe('DeleteIAM2VirtualID', () => {
  it('deletes, and deleting a missing well-formed uuid succeeds with no event, before the session', () => {
    given(virtualIDDecider, [created()]).when(deleteVirtualID(VID, asAdmin)).then([deleted()]);
    given(virtualIDDecider).when(deleteVirtualID(VID, noSession)).then([]);
    given(virtualIDDecider, [created(), deleted()]).when(deleteVirtualID(VID, noSession)).then([]);
    expect(given(virtualIDDecider, [created(), deleted()]).state?.deleted).toBe(true);
  });

  it.each([
    ['a malformed uuid', 'nope', [], asAdmin, { code: 'SYS.1003', details: 'invalid value[nope] of field [uuid]' }],
    ['a normal account', VID, [created()], asAccount(BOB), { code: 'ID.1002', details: adminOnlyText('APIDeleteIAM2VirtualIDMsg') }],
    ['the virtual ID itself', VID, [created()], asVirtualId(), { code: 'ID.1002', details: adminOnlyText('APIDeleteIAM2VirtualIDMsg') }],
  ])('refuses %s', (_what, uuid, events, auth, expected) => {
    given(virtualIDDecider, events).when(deleteVirtualID(uuid, auth)).thenThrows(expected);
  });
});

describe('attributes', () => {
  const id1 = [created()];

  it('adds Customized attributes with their own dates, leaving the virtual ID lastOpDate alone; a retry adds nothing twice', () => {
    const cmd = { uuid: VID, attributes: [{ uuid: ATTR2, name: 'team', value: 'blue' }] };
    const events = given(virtualIDDecider, id1).when(addAttributes(cmd, asAdmin)).then((added, after) => {
      expect(added).toEqual([{
        type: 'IAM2VirtualIDAttributesAdded',
        data: { uuid: VID, attributes: [{ uuid: ATTR2, name: 'team', value: 'blue', type: 'Customized' }], createDate: LATER },
      }]);
      expect(after!.inventory.lastOpDate).toBe(NOW);
      expect(after!.inventory.attributes[1]).toEqual({ uuid: ATTR2, name: 'team', value: 'blue', type: 'Customized', createDate: LATER, lastOpDate: LATER, virtualIDUuid: VID });
    });
    given(virtualIDDecider, [...id1, ...events]).when(addAttributes(cmd, asAdmin)).then([]);
    expect(given(virtualIDDecider, [...id1, ...events, ...events]).state?.inventory.attributes).toHaveLength(2);
  });

  it('removes attributes of this virtual ID, once each', () => {
    given(virtualIDDecider, id1).when(removeAttributes([ATTR, ATTR], asAdmin)).then((events, after) => {
      expect(events).toEqual([{ type: 'IAM2VirtualIDAttributesRemoved', data: { uuid: VID, attributeUuids: [ATTR], removedAt: LATER } }]);
      expect(after?.inventory.attributes).toEqual([]);
    });
  });

  it('updates an attribute value and its lastOpDate, found by the attribute uuid alone', () => {
    given(virtualIDDecider, id1).when(updateAttribute(ATTR, 'new', asAdmin)).then((events, after) => {
      expect(events).toEqual([{ type: 'IAM2VirtualIDAttributeUpdated', data: { uuid: VID, attributeUuid: ATTR, value: 'new', lastOpDate: LATER } }]);
      expect(after?.inventory.attributes[0]).toMatchObject({ value: 'new', createDate: NOW, lastOpDate: LATER });
    });
    given(virtualIDDecider, id1).when(updateAttribute(ATTR, 'attribute-value', asAdmin)).then([]);
  });

  it.each([
    ['adding to a missing virtual ID', [], addAttributes({ uuid: VID, attributes: [] }, asAdmin), { code: 'SYS.1003', details: notFoundText(VID) }],
    ['adding as the virtual ID', id1, addAttributes({ uuid: VID, attributes: [] }, asVirtualId()), { code: 'ID.1002', details: adminOnlyText('APIAddAttributesToIAM2VirtualIDMsg') }],
    ['removing an attribute it does not have, before the session', id1, removeAttributes([ATTR2], noSession),
      { code: 'SYS.1003', details: `invalid field[attributeUuids], resource[uuid:${ATTR2}, type:IAM2VirtualIDAttributeVO] not found` }],
    ['removing as a normal account', id1, removeAttributes([ATTR], asAccount(BOB)), { code: 'ID.1002', details: adminOnlyText('APIRemoveAttributesFromIAM2VirtualIDMsg') }],
    ['updating an unknown attribute', id1, updateAttribute(ATTR2, 'v', asAdmin),
      { code: 'SYS.1003', details: `invalid field[uuid], resource[uuid:${ATTR2}, type:IAM2VirtualIDAttributeVO] not found` }],
    ['updating as the virtual ID', id1, updateAttribute(ATTR, 'v', asVirtualId()), { code: 'ID.1002', details: adminOnlyText('APIUpdateIAM2VirtualIDAttributeMsg') }],
  ])('refuses %s', (_what, events, command, expected) => {
    given(virtualIDDecider, events).when(command).thenThrows(expected);
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
