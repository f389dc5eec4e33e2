import { ZStackError } from './errors';
import { APIChangeIAM2VirtualIDStateMsg, APIUpdateIAM2VirtualIDMsg } from './identity/iam2-virtual-ids';
import { APICreateAccountMsg, APILogInMsg, APILogOutMsg, APIUpdateAccountMsg } from './identity/dto';
import { APIDeletePreconfigurationTemplateMsg, APIUpdatePreconfigurationTemplateMsg, RenderPreconfigurationTemplateMsg } from './baremetal/templates';
import { validatePayload } from './validation';

const uuid = '0123456789abcdef0123456789abcdef';

describe('validatePayload and null (ZStack: null is a field that is not there)', () => {
  it.each([
    [APIUpdateAccountMsg, { name: null, state: null, password: null, description: null, oldPassword: null, systemTags: null }],
    [APIUpdateIAM2VirtualIDMsg, { name: null, password: null, oldPassword: null, description: null }],
    [APIUpdatePreconfigurationTemplateMsg, { name: null, content: null, type: null, distribution: null, description: null }],
  ])('%p: a null optional field is absent from the DTO', (dto, fields) => {
    const result = validatePayload(dto as new () => object, { uuid, ...fields }) as Record<string, unknown>;
    expect(result).toEqual(expect.objectContaining({ uuid }));
    for (const key of Object.keys(fields)) expect(result[key]).toBeUndefined();
  });

  it('keeps the fields that are given', () => {
    expect(validatePayload(APIUpdateAccountMsg, { uuid, name: ' n ', state: null })).toEqual(Object.assign(new APIUpdateAccountMsg(), { uuid, name: 'n' }));
  });

  it.each([
    [APICreateAccountMsg, { name: null, password: 'p' }, 'field[name] of message[APICreateAccountMsg] is mandatory, can not be null'],
    [APIChangeIAM2VirtualIDStateMsg, { uuid, stateEvent: null }, 'field[stateEvent] of message[APIChangeIAM2VirtualIDStateMsg] is mandatory, can not be null'],
    [APIUpdateAccountMsg, { uuid: null }, 'field[uuid] of message[APIUpdateAccountMsg] is mandatory, can not be null'],
  ])('%p: a null mandatory field is SYS.1007 "mandatory"', (dto, payload, text) => {
    try {
      validatePayload(dto as new () => object, payload);
      throw new Error('no error');
    } catch (error) {
      expect(error).toBeInstanceOf(ZStackError);
      expect((error as ZStackError).toBody()).toMatchObject({ code: 'SYS.1007', details: text });
    }
  });

  it('a __proto__ key is an ignored field, not a prototype', () => {
    const payload = JSON.parse(`{"uuid":"${uuid}","__proto__":{"name":"evil"},"name":null}`);
    const result = validatePayload(APIUpdateAccountMsg, payload);
    expect(result.name).toBeUndefined();
    expect(Object.getPrototypeOf(result)).toBe(APIUpdateAccountMsg.prototype);
  });
});

describe('validatePayload and plain JSON data in any shape (fuzz findings)', () => {
  const hostile = JSON.parse('{"constructor":{"prototype":{"polluted":true}},"__proto__":{"x":1},"toString":"s"}');

  it.each([
    ['a map field', APILogInMsg, { username: 'u', password: 'p', clientInfo: hostile }],
    ['a map field with a string constructor', APILogOutMsg, { sessionUuid: uuid, clientInfo: { constructor: 'x' } }],
    ['an unknown field', APIDeletePreconfigurationTemplateMsg, { uuid, foo: { constructor: 'x' }, bar: hostile }],
    ['the render params', RenderPreconfigurationTemplateMsg, { uuid, params: hostile }],
    ['list elements', APIUpdateAccountMsg, { uuid, systemTags: [hostile, { constructor: 1 }] }],
  ])('%s whose keys are `constructor` or `__proto__` is kept as data, never walked', (_label, dto, payload) => {
    const result = validatePayload(dto as new () => object, payload) as Record<string, unknown>;
    expect(Object.getPrototypeOf(result)).toBe((dto as new () => object).prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(result).not.toHaveProperty('foo');
  });

  it('takes a deeply nested map value without recursion', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    expect(validatePayload(APILogInMsg, { username: 'u', password: 'p', clientInfo: deep }).clientInfo).toBe(deep);
  });

  it('trims strings unless noTrim, as before', () => {
    expect(validatePayload(APILogInMsg, { username: ' u ', password: ' p ' })).toMatchObject({ username: 'u', password: ' p ' });
  });
});
