import { accessKeyDate, accessKeySignature, accessKeyStringToSign, parseAccessKeyDate } from './access-keys';

describe('signed request dates', () => {
  const at = Date.parse('2026-11-28T13:00:00Z');

  it('reads EEE, dd MMM yyyy HH:mm:ss with GMT, UTC, offsets and region ids', () => {
    expect(parseAccessKeyDate('Sat, 28 Nov 2026 13:00:00 GMT')).toBe(at);
    expect(parseAccessKeyDate('sat, 28 nov 2026 13:00:00 gmt')).toBe(at);
    expect(parseAccessKeyDate('Sat, 28 Nov 2026 13:00:00 UTC')).toBe(at);
    expect(parseAccessKeyDate('Sat, 28 Nov 2026 21:00:00 +0800')).toBe(at);
    expect(parseAccessKeyDate('Sat, 28 Nov 2026 21:00:00 +08:00')).toBe(at);
    expect(parseAccessKeyDate('Sat, 28 Nov 2026 21:00:00 GMT+08:00')).toBe(at);
    expect(parseAccessKeyDate('Sat, 28 Nov 2026 08:00:00 -0500')).toBe(at);
    expect(parseAccessKeyDate('Sat, 28 Nov 2026 21:00:00 Asia/Shanghai')).toBe(at);
    expect(parseAccessKeyDate('Sat, 28 Nov 2026 08:00:00 America/New_York')).toBe(at);
    // Daylight saving time in New York: UTC-4 in July.
    expect(parseAccessKeyDate('Wed, 01 Jul 2026 09:00:00 America/New_York')).toBe(Date.parse('2026-07-01T13:00:00Z'));
  });

  it.each([
    ['an ISO date', '2026-11-28T13:00:00Z'],
    ['a wrong day of the week', 'Fri, 28 Nov 2026 13:00:00 GMT'],
    ['a one-digit day', 'Sat, 8 Nov 2026 13:00:00 GMT'],
    ['a day that does not exist', 'Mon, 31 Nov 2026 13:00:00 GMT'],
    ['hour 24', 'Sat, 28 Nov 2026 24:00:00 GMT'],
    ['an unknown zone', 'Sat, 28 Nov 2026 13:00:00 Mars/Olympus'],
    ['an ambiguous abbreviation', 'Sat, 28 Nov 2026 13:00:00 CST'],
    ['nothing', ''],
  ])('refuses %s', (_what, text) => {
    expect(parseAccessKeyDate(text)).toBeNull();
  });

  it('formats the Date header a client sends, and parses it back', () => {
    expect(accessKeyDate(new Date(at))).toBe('Sat, 28 Nov 2026 13:00:00 GMT');
    expect(accessKeyDate(new Date(at))).toBe(new Date(at).toUTCString());
    expect(parseAccessKeyDate(accessKeyDate(new Date(at)))).toBe(at);
  });

  it('signs METHOD\\nDATE\\n/v1<path> with HMAC-SHA1, base64', () => {
    expect(accessKeyStringToSign('GET', 'Sat, 28 Nov 2026 13:00:00 GMT', '/v1/accounts')).toBe('GET\nSat, 28 Nov 2026 13:00:00 GMT\n/v1/accounts');
    // openssl: printf 'GET\nSat, 28 Nov 2026 13:00:00 GMT\n/v1/accounts' | openssl dgst -sha1 -hmac secret0123456789 -binary | base64
    expect(accessKeySignature('secret0123456789', 'GET', 'Sat, 28 Nov 2026 13:00:00 GMT', '/v1/accounts')).toBe('OIE+I6Cq0Mgg/3MVvpFNwFW4NGM=');
  });
});
