import { ADMIN_ACCOUNT_UUID, ZStackError, invalidSession, type Auth, type PreconfigurationTemplateEvent } from '@cp/contracts';
import { COMMON_PARAMS } from './template-params';
import { decideAdd, decideChangeState, decideDelete, decideUpdate, evolve, type AddTemplate, type TemplateState } from './template.decider';

const admin: Auth = { ok: true, caller: { accountUuid: ADMIN_ACCOUNT_UUID, userUuid: ADMIN_ACCOUNT_UUID } };
const normal: Auth = { ok: true, caller: { accountUuid: 'a'.repeat(32), userUuid: 'a'.repeat(32) } };
const noSession: Auth = { ok: false, error: invalidSession() };
const NOW = '2026-11-28T10:00:00.000Z';
const LATER = '2026-11-28T11:00:00.000Z';
const md5 = (content: string) => `md5-of-${content.length}`;
const UUID = '0123456789abcdef0123456789abcdef';

const body = (extra = '') => `${COMMON_PARAMS.map((p) => `{{ ${p} }}`).join('\n')}\n${extra}`;
const add = (over: Partial<AddTemplate> = {}): AddTemplate => ({
  uuid: UUID, name: 'ks', distribution: 'centos-x86_64', type: 'kickstart', content: body('hostname {{ hostname }}'), ...over,
});

const fold = (events: PreconfigurationTemplateEvent[], state: TemplateState | null = null) => events.reduce(evolve, state);
const given = (over: Partial<AddTemplate> = {}, predefined = false) =>
  fold(decideAdd(add(over), null, admin, { now: NOW, md5, predefined }));

function fails(run: () => unknown): ZStackError {
  try {
    run();
  } catch (error) {
    if (error instanceof ZStackError) return error;
    throw error;
  }
  throw new Error('expected a ZStackError');
}

describe('preconfiguration template decider', () => {
  it('adds an Enabled, non-predefined template with its md5sum and custom params', () => {
    const state = given()!;
    expect(state.inventory).toMatchObject({
      uuid: UUID, name: 'ks', type: 'kickstart', state: 'Enabled', isPredefined: false, md5sum: `md5-of-${add().content.length}`,
      customParams: ['hostname'], createDate: NOW, lastOpDate: NOW,
    });
    expect(state.ownerAccountUuid).toBe(ADMIN_ACCOUNT_UUID);
  });

  it('refuses, in ZStack order: session, then admin, then content', () => {
    expect(fails(() => decideAdd(add({ content: 'no params' }), null, noSession, { now: NOW, md5 })).code).toBe('ID.1001');
    expect(fails(() => decideAdd(add({ content: 'no params' }), null, normal, { now: NOW, md5 })).code).toBe('ID.1002');
    const e = fails(() => decideAdd(add({ content: 'no params' }), null, admin, { now: NOW, md5 }));
    expect([e.code, e.details]).toEqual(['SYS.1007', 'common params missing in template content']);
  });

  it('refuses a second template with the same uuid', () => {
    expect(fails(() => decideAdd(add(), given(), admin, { now: NOW, md5 })).code).toBe('SYS.1007');
  });

  it('applies the content rules: unknown common params, long custom params', () => {
    const tooMany = body('{{ IMAGE_UUID }} {{ EXTRA }}');
    expect(fails(() => decideAdd(add({ content: tooMany }), null, admin, { now: NOW, md5 })).details)
      .toBe('unknown common params exist in template content');
    expect(decideAdd(add({ content: body('{{ IMAGE_UUID }}') }), null, admin, { now: NOW, md5 })).toHaveLength(1);
    const long = 'x'.repeat(256);
    expect(fails(() => decideAdd(add({ content: body(`{{ ${long} }}`) }), null, admin, { now: NOW, md5 })).details)
      .toBe(`custom param ${long} is too long`);
    expect(decideAdd(add({ content: body(`{{ ${'x'.repeat(255)} }}`) }), null, admin, { now: NOW, md5 })).toHaveLength(1);
  });

  it('updates only what differs, recomputing md5sum and customParams only when the content changes', () => {
    const state = given();
    const renamed = decideUpdate({ uuid: UUID, name: 'ks2', content: add().content }, state, admin, { now: LATER, md5 });
    expect(renamed).toEqual([{ type: 'PreconfigurationTemplateUpdated', data: { uuid: UUID, name: 'ks2', lastOpDate: LATER } }]);
    const recontent = decideUpdate({ uuid: UUID, content: body('{{ disk }}') }, state, admin, { now: LATER, md5 });
    const next = fold(recontent, state)!;
    expect(next.inventory).toMatchObject({ customParams: ['disk'], md5sum: `md5-of-${body('{{ disk }}').length}`, lastOpDate: LATER, createDate: NOW });
    expect(decideUpdate({ uuid: UUID, name: 'ks' }, state, admin, { now: LATER, md5 })).toEqual([]);
  });

  it('refuses updates of a missing or predefined template, and bad new content', () => {
    expect(fails(() => decideUpdate({ uuid: UUID, name: 'x' }, null, admin, { now: LATER, md5 })).details)
      .toBe(`invalid field[uuid], resource[uuid:${UUID}, type:PreconfigurationTemplateVO] not found`);
    expect(fails(() => decideUpdate({ uuid: UUID, name: 'x' }, given(), normal, { now: LATER, md5 })).code).toBe('ID.1002');
    expect(fails(() => decideUpdate({ uuid: UUID, name: 'x' }, given({}, true), admin, { now: LATER, md5 })).details)
      .toBe('cannot update predefined preconfiguration templates');
    expect(fails(() => decideUpdate({ uuid: UUID, content: '{{ REPO_URL }}' }, given(), admin, { now: LATER, md5 })).details)
      .toBe('common params missing in template content');
  });

  it('changes state, and not that of a predefined template', () => {
    const disabled = fold(decideChangeState(UUID, 'disable', given(), admin, LATER), given())!;
    expect(disabled.inventory).toMatchObject({ state: 'Disabled', lastOpDate: LATER });
    expect(decideChangeState(UUID, 'disable', disabled, admin, LATER)).toEqual([]);
    expect(fails(() => decideChangeState(UUID, 'enable', given({}, true), admin, LATER)).details)
      .toBe('cannot change state of predefined preconfiguration templates');
    expect(fails(() => decideChangeState(UUID, 'enable', given(), normal, LATER)).code).toBe('ID.1002');
  });

  it('deletes; a missing valid uuid succeeds without events; a predefined one is refused', () => {
    expect(fold(decideDelete(UUID, given(), admin), given())).toBeNull();
    expect(decideDelete(UUID, null, noSession)).toEqual([]);
    expect(fails(() => decideDelete('not-a-uuid', null, admin)).code).toBe('SYS.1003');
    expect(fails(() => decideDelete(UUID, given({}, true), admin)).details).toBe('cannot delete predefined preconfiguration templates');
    expect(fails(() => decideDelete(UUID, given(), normal)).code).toBe('ID.1002');
  });
});
