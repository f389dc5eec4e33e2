import { DenyList } from './deny-list';
import { parseEndpoint } from './endpoint';

describe('endpoints', () => {
  it('reads host:port, [v6]:port and URLs, with the product default scheme', () => {
    expect(parseEndpoint('zstack', '192.168.1.100:8080')).toEqual({ scheme: 'http', host: '192.168.1.100', port: 8080 });
    expect(parseEndpoint('vmware', 'vc.example.com:443')).toEqual({ scheme: 'https', host: 'vc.example.com', port: 443 });
    expect(parseEndpoint('zstack', '169.254.169.254:80')).toEqual({ scheme: 'http', host: '169.254.169.254', port: 80 });
    expect(parseEndpoint('openstack', '[fd00::1]:5000')).toEqual({ scheme: 'https', host: 'fd00::1', port: 5000 });
    expect(parseEndpoint('vmware', 'http://127.0.0.1:8080/ui')).toEqual({ scheme: 'http', host: '127.0.0.1', port: 8080 });
    expect(parseEndpoint('vmware', 'https://vc.example.com')).toEqual({ scheme: 'https', host: 'vc.example.com', port: 443 });
  });

  it('refuses what is not an endpoint', () => {
    expect(parseEndpoint('zstack', 'host-without-port')).toContain('needs a port');
    expect(parseEndpoint('zstack', 'ftp://x:21')).toContain('field[endpoint]');
    expect(parseEndpoint('zstack', 'http://user:pw@x:80')).toContain('user or password');
  });
});

describe('deny list', () => {
  it('denies link-local by default, IPv4-mapped addresses included', () => {
    const deny = new DenyList('169.254.0.0/16,fe80::/10');
    expect(deny.denies('169.254.169.254')).toBe(true);
    expect(deny.denies('::ffff:169.254.169.254')).toBe(true);
    expect(deny.denies('fe80::1')).toBe(true);
    expect(deny.denies('127.0.0.1')).toBe(false);
    expect(deny.denies('not-an-ip')).toBe(false);
    expect(new DenyList('').denies('169.254.169.254')).toBe(false);
    expect(() => new DenyList('10.0.0.0/33')).toThrow(/CONNECT_DENY_LIST/);
  });
});

describe('connection test targets', () => {
  it('refuses a name when any of its addresses is denied, before connecting anywhere', async () => {
    const { runConnectionTest } = await import('./connection-test');
    const attempt = runConnectionTest(
      { productType: 'vmware', endpoint: { scheme: 'https', host: 'two-faced.example', port: 443 }, accessKey: 'a', secretKey: 'b', verifyTls: true },
      { denyList: new DenyList('169.254.0.0/16'), stepTimeoutMs: 100, totalTimeoutMs: 500, resolve: async () => ['127.0.0.1', '169.254.169.254'] },
    );
    await expect(attempt).rejects.toMatchObject({ code: 'SYS.1007' });
  });
});
