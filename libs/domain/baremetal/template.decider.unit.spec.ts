import { ADMIN_ACCOUNT_UUID, invalidSession, type Auth, type PreconfigurationTemplateEvent, type PreconfigurationTemplateStateEvent } from '@cp/contracts';
import { given } from '@cp/domain/testing';
import { md5 } from './md5';
import { COMMON_PARAMS } from './template-params';
import { templateDecider, type AddTemplate, type TemplateCommand, type UpdateTemplate } from './template.decider';

const admin: Auth = { ok: true, caller: { accountUuid: ADMIN_ACCOUNT_UUID, userUuid: ADMIN_ACCOUNT_UUID } };
const normal: Auth = { ok: true, caller: { accountUuid: 'a'.repeat(32), userUuid: 'a'.repeat(32) } };
const noSession: Auth = { ok: false, error: invalidSession() };
const NOW = '2026-11-28T10:00:00.000Z';
const LATER = '2026-11-28T11:00:00.000Z';
const UUID = '0123456789abcdef0123456789abcdef';

const body = (extra = '') => `${COMMON_PARAMS.map((p) => `{{ ${p} }}`).join('\n')}\n${extra}`;
const add = (over: Partial<AddTemplate> = {}): AddTemplate => ({
  uuid: UUID, name: 'ks', distribution: 'centos-x86_64', type: 'kickstart', content: body('hostname {{ hostname }}'), ...over,
});

const addTemplate = (data: AddTemplate, auth: Auth = admin, predefined = false): TemplateCommand =>
  ({ type: 'AddPreconfigurationTemplate', data, auth, now: NOW, predefined });
const updateTemplate = (data: UpdateTemplate, auth: Auth = admin): TemplateCommand =>
  ({ type: 'UpdatePreconfigurationTemplate', data, auth, now: LATER });
const changeState = (stateEvent: PreconfigurationTemplateStateEvent, auth: Auth = admin): TemplateCommand =>
  ({ type: 'ChangePreconfigurationTemplateState', data: { uuid: UUID, stateEvent }, auth, now: LATER });
const deleteTemplate = (uuid: string, auth: Auth = admin): TemplateCommand => ({ type: 'DeletePreconfigurationTemplate', data: { uuid }, auth });

/** The events of a template added by the admin (a predefined one if asked). */
const added = (over: Partial<AddTemplate> = {}, predefined = false): PreconfigurationTemplateEvent[] =>
  templateDecider.decide(addTemplate(add(over), admin, predefined), null);

describe('preconfiguration template decider', () => {
  it('adds an Enabled, non-predefined template with its md5sum and custom params', () => {
    given(templateDecider).when(addTemplate(add())).then((_events, state) => {
      expect(state!.inventory).toMatchObject({
        uuid: UUID, name: 'ks', type: 'kickstart', state: 'Enabled', isPredefined: false, md5sum: md5(add().content),
        customParams: ['hostname'], createDate: NOW, lastOpDate: NOW,
      });
      expect(state!.ownerAccountUuid).toBe(ADMIN_ACCOUNT_UUID);
    });
  });

  it('refuses, in ZStack order: session, then admin, then content', () => {
    given(templateDecider).when(addTemplate(add({ content: 'no params' }), noSession)).thenThrows('ID.1001');
    given(templateDecider).when(addTemplate(add({ content: 'no params' }), normal)).thenThrows('ID.1002');
    given(templateDecider).when(addTemplate(add({ content: 'no params' })))
      .thenThrows({ code: 'SYS.1007', details: 'common params missing in template content' });
  });

  it('refuses a second template with the same uuid', () => {
    given(templateDecider, added()).when(addTemplate(add())).thenThrows('SYS.1007');
  });

  it('applies the content rules: unknown common params, long custom params', () => {
    const tooMany = body('{{ IMAGE_UUID }} {{ EXTRA }}');
    given(templateDecider).when(addTemplate(add({ content: tooMany })))
      .thenThrows({ details: 'unknown common params exist in template content' });
    given(templateDecider).when(addTemplate(add({ content: body('{{ IMAGE_UUID }}') }))).then((events) => expect(events).toHaveLength(1));
    const long = 'x'.repeat(256);
    given(templateDecider).when(addTemplate(add({ content: body(`{{ ${long} }}`) })))
      .thenThrows({ details: `custom param ${long} is too long` });
    given(templateDecider).when(addTemplate(add({ content: body(`{{ ${'x'.repeat(255)} }}`) }))).then((events) => expect(events).toHaveLength(1));
  });

  it('updates only what differs, recomputing md5sum and customParams only when the content changes', () => {
    given(templateDecider, added()).when(updateTemplate({ uuid: UUID, name: 'ks2', content: add().content }))
      .then([{ type: 'PreconfigurationTemplateUpdated', data: { uuid: UUID, name: 'ks2', lastOpDate: LATER } }]);
    given(templateDecider, added()).when(updateTemplate({ uuid: UUID, content: body('{{ disk }}') })).then((_events, next) => {
      expect(next!.inventory).toMatchObject({ customParams: ['disk'], md5sum: md5(body('{{ disk }}')), lastOpDate: LATER, createDate: NOW });
    });
    given(templateDecider, added()).when(updateTemplate({ uuid: UUID, name: 'ks' })).then([]);
  });

  it('refuses updates of a missing or predefined template, and bad new content', () => {
    given(templateDecider).when(updateTemplate({ uuid: UUID, name: 'x' }))
      .thenThrows({ details: `invalid field[uuid], resource[uuid:${UUID}, type:PreconfigurationTemplateVO] not found` });
    given(templateDecider, added()).when(updateTemplate({ uuid: UUID, name: 'x' }, normal)).thenThrows('ID.1002');
    given(templateDecider, added({}, true)).when(updateTemplate({ uuid: UUID, name: 'x' }))
      .thenThrows({ details: 'cannot update predefined preconfiguration templates' });
    given(templateDecider, added()).when(updateTemplate({ uuid: UUID, content: '{{ REPO_URL }}' }))
      .thenThrows({ details: 'common params missing in template content' });
  });

  it('changes state, and not that of a predefined template', () => {
    const disabling = given(templateDecider, added()).when(changeState('disable')).then((_events, disabled) => {
      expect(disabled!.inventory).toMatchObject({ state: 'Disabled', lastOpDate: LATER });
    });
    given(templateDecider, [...added(), ...disabling]).when(changeState('disable')).then([]);
    given(templateDecider, added({}, true)).when(changeState('enable'))
      .thenThrows({ details: 'cannot change state of predefined preconfiguration templates' });
    given(templateDecider, added()).when(changeState('enable', normal)).thenThrows('ID.1002');
  });

  it('deletes; a missing valid uuid succeeds without events; a predefined one is refused', () => {
    given(templateDecider, added()).when(deleteTemplate(UUID)).then((_events, state) => expect(state).toBeNull());
    given(templateDecider).when(deleteTemplate(UUID, noSession)).then([]);
    given(templateDecider).when(deleteTemplate('not-a-uuid')).thenThrows('SYS.1003');
    given(templateDecider, added({}, true)).when(deleteTemplate(UUID)).thenThrows({ details: 'cannot delete predefined preconfiguration templates' });
    given(templateDecider, added()).when(deleteTemplate(UUID, normal)).thenThrows('ID.1002');
  });
});
