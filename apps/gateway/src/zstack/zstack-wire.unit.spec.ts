import { RestError, apiByName } from '@cp/contracts';
import { payloadFromBody, payloadFromQuery, pickByBodyKey } from './request-mapping';
import { SessionPositions } from './session-positions';
import { zstackDateFormatter } from './zstack-date';

describe('ZStack timestamps', () => {
  const utc = zstackDateFormatter('UTC');

  it.each([
    ['2025-08-15T05:35:30.000Z', 'Aug 15, 2025 5:35:30 AM'],
    ['2017-01-06T03:51:16Z', 'Jan 6, 2017 3:51:16 AM'],
    ['2026-11-28T00:05:09Z', 'Nov 28, 2026 12:05:09 AM'],
    ['2026-11-28T12:00:00Z', 'Nov 28, 2026 12:00:00 PM'],
    ['2026-12-31T23:59:59Z', 'Dec 31, 2026 11:59:59 PM'],
  ])('prints %s as Java 8 does: %s', (iso, text) => {
    expect(utc(iso)).toBe(text);
  });

  it('prints the configured zone', () => {
    expect(zstackDateFormatter('Asia/Shanghai')('2025-08-15T05:35:30Z')).toBe('Aug 15, 2025 1:35:30 PM');
  });
});

describe('REST → message mapping', () => {
  const create = apiByName('CreateAccount');

  it('takes the body key, top-level tags and path variables', () => {
    const payload = payloadFromBody(apiByName('UpdateAccount'), { updateAccount: { name: 'n' }, systemTags: ['a'] }, { uuid: 'u' });
    expect(payload).toEqual({ name: 'n', systemTags: ['a'], uuid: 'u' });
  });

  it('answers a value of the wrong JSON type with a 400 that never echoes it', () => {
    const call = () => payloadFromBody(create, { params: { name: 'n', password: { secret: 'hunter2' } } }, {});
    expect(call).toThrow(RestError);
    expect(call).toThrow('Invalid value for field[password]: it must be a string, but an object was found');
  });

  it('takes GET/DELETE parameters from the query string: repeated keys, name.0 lists, field.key maps', () => {
    const payload = payloadFromQuery(apiByName('LogOut'), { 'clientInfo.clientIp': '10.0.0.1', 'clientInfo.browser': 'x' }, { sessionUuid: 's' });
    expect(payload).toEqual({ clientInfo: { clientIp: '10.0.0.1', browser: 'x' }, sessionUuid: 's' });
    expect(payloadFromQuery(apiByName('DeleteAccount'), { 'tags.1': 'b', 'tags.0': 'a' }, {})).toEqual({ tags: ['a', 'b'] });
  });

  it('picks the API of a shared PUT path by its body key, else 400', () => {
    const update = apiByName('UpdateAccount');
    const changeKeyState = apiByName('ChangeAccessKeyState');
    expect(pickByBodyKey([changeKeyState], {}, '/x')).toBe(changeKeyState);
    expect(() => pickByBodyKey([update], {}, '/x')).toThrow("the body doesn't contain action mapping to the URL[/x]");
    const renew = apiByName('RenewSession');
    expect(pickByBodyKey([update, renew], { renewSession: {} }, '/x')).toBe(renew);
    expect(() => pickByBodyKey([update, renew], { other: {} }, '/x')).toThrow("the body doesn't contain action mapping to the URL[/x]");
  });
});

describe('read-your-writes positions', () => {
  it('keeps the highest position per session and context, and forgets the oldest session past capacity', async () => {
    const positions = new SessionPositions(2);
    await positions.record('s1', 'identity', '5');
    await positions.record('s1', 'identity', '3');
    expect(await positions.get('s1', 'identity')).toBe('5');
    await positions.record('s2', 'identity', '1');
    await positions.record('s3', 'identity', '1');
    expect(await positions.get('s1', 'identity')).toBeUndefined();
    expect(await positions.get('s3', 'identity')).toBe('1');
  });
});
