import { RestError, apiByName } from '@cp/contracts';
import { MAX_JSON_DEPTH, parseJsonBody, payloadFromQuery, pickByBodyKey } from './request-mapping';

describe('pickByBodyKey: which API a PUT/POST body is for (ZStack RestServer)', () => {
  const url = '/zstack/v1/accounts/0123456789abcdef0123456789abcdef';

  it.each([
    ['an unknown key', { notAnAction: {} }],
    ['no key', {}],
    ['only top-level tags', { systemTags: ['x'] }],
    ['no body', undefined],
    ['a list', [{ updateAccount: {} }]],
    ['a string', 'updateAccount'],
    ['the key only inherited', Object.create({ updateAccount: {} })],
  ])('a PUT on a shared path whose only PUT API is UpdateAccount, with %s: 400', (_label, body) => {
    const call = () => pickByBodyKey([apiByName('UpdateAccount')], body, `${url}?x=1`);
    expect(call).toThrow(RestError);
    expect(call).toThrow(`the body doesn't contain action mapping to the URL[${url}]`);
  });

  it('a PUT on a shared path with the action key: that API', () => {
    const update = apiByName('UpdateAccount');
    expect(pickByBodyKey([update], { updateAccount: {} }, url)).toBe(update);
    expect(pickByBodyKey([update], { updateAccount: null }, url)).toBe(update);
    const actions = ['UpdateIAM2VirtualID', 'ChangeIAM2VirtualIDState', 'ChangeIAM2VirtualIDType'].map(apiByName);
    expect(pickByBodyKey(actions, { changeIAM2VirtualIDType: {} }, url)).toBe(actions[2]);
  });

  it('a PUT on a path of one API only: that API, key or not (the message then has no fields)', () => {
    for (const name of ['ChangeAccessKeyState', 'UpdateIAM2VirtualIDAttribute', 'LogInByAccount', 'RenewSession']) {
      const api = apiByName(name);
      expect(pickByBodyKey([api], { notAnAction: {} }, url)).toBe(api);
    }
  });

  it('POST, GET and DELETE on a shared path go by method alone', () => {
    for (const name of ['CreateAccount', 'AddAttributesToIAM2VirtualID', 'QueryAccount', 'DeleteAccount']) {
      const api = apiByName(name);
      expect(pickByBodyKey([api], { notParams: {} }, url)).toBe(api);
    }
  });
});

describe('parseJsonBody: JSON.parse with bounded nesting', () => {
  const arrays = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

  it(`parses up to ${MAX_JSON_DEPTH} levels and refuses one more, before parsing`, () => {
    expect(parseJsonBody(arrays(MAX_JSON_DEPTH))).toBeDefined();
    expect(() => parseJsonBody(arrays(MAX_JSON_DEPTH + 1))).toThrow(`the JSON nests deeper than ${MAX_JSON_DEPTH} levels`);
    expect(() => parseJsonBody('{"a":'.repeat(60_000))).toThrow(SyntaxError);
  });

  it('counts objects and arrays alike, and siblings do not add up', () => {
    expect(() => parseJsonBody(`{"a":${'{"b":['.repeat(32)}1${']}'.repeat(32)}}`)).toThrow('nests deeper');
    const siblings = `[${Array.from({ length: 1000 }, () => arrays(MAX_JSON_DEPTH - 1)).join(',')}]`;
    expect(parseJsonBody(siblings)).toHaveLength(1000);
  });

  it('brackets and escaped quotes inside strings are not nesting', () => {
    const text = JSON.stringify({ a: '[{'.repeat(10_000), b: 'x\\"[[[', c: '\\' });
    expect(parseJsonBody(text)).toEqual(JSON.parse(text));
  });

  it('an escaped backslash before a closing quote ends the string', () => {
    const text = `{"a":"x\\\\","b":${arrays(MAX_JSON_DEPTH)}}`;
    expect(JSON.parse(text).a).toBe('x\\');
    expect(() => parseJsonBody(text)).toThrow('nests deeper');
    expect(parseJsonBody(`{"a":"\\\\\\"[[[[","b":${arrays(MAX_JSON_DEPTH - 1)}}`)).toBeDefined();
  });

  it('still reports malformed JSON as JSON.parse does', () => {
    expect(() => parseJsonBody('{"params":')).toThrow(SyntaxError);
    expect(() => parseJsonBody('"unterminated [[[')).toThrow(SyntaxError);
  });
});

describe('payloadFromQuery: parameter names are data (fuzz findings)', () => {
  const logOut = apiByName('LogOut');

  it.each([
    ['__proto__.polluted', 'yes'],
    ['__proto__.0', 'a'],
    ['constructor.prototype', '1'],
    ['toString.x', '1'],
    ['hasOwnProperty.y', '1'],
    ['__proto__', 'x'],
  ])('%s= neither throws nor reaches a prototype', (key, value) => {
    const payload = payloadFromQuery(logOut, { [key]: value }, { sessionUuid: 's' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as unknown as Record<string, unknown>)[0]).toBeUndefined();
    expect(Object.getPrototypeOf(payload)).toBe(Object.prototype);
    expect(payload.sessionUuid).toBe('s');
    expect(Object.keys(payload)).toContain(key.split('.')[0]);
  });

  it('a name given as a value and as a map or list: no TypeError, the list wins over the map over the value', () => {
    expect(payloadFromQuery(logOut, { clientInfo: 'x', 'clientInfo.a': 'b' }, {}).clientInfo).toEqual({ a: 'b' });
    expect(payloadFromQuery(logOut, { 'clientInfo.a': 'b', clientInfo: 'x' }, {}).clientInfo).toEqual({ a: 'b' });
    expect(payloadFromQuery(logOut, { 'tags.a': 'b', 'tags.1': 'y', 'tags.0': 'x', tags: 'z' }, {}).tags).toEqual(['x', 'y']);
  });

  it('path variables win over query parameters of the same name', () => {
    expect(payloadFromQuery(logOut, { sessionUuid: 'q' }, { sessionUuid: 'p' }).sessionUuid).toBe('p');
  });
});
