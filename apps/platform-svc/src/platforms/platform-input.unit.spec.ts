import { ZStackError } from '@cp/contracts';
import { parseCreatePlatform, parseListPlatforms, parseTestConnection, parseUpdatePlatform } from './platform-input';

const valid = { name: 'prod-zstack-01', productType: 'zstack', hostIp: '192.168.1.100', hostPort: 8080, username: 'admin', password: 'pw' };

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ZStackError);
    expect((error as ZStackError).code).toBe('SYS.1007');
    return (error as ZStackError).details;
  }
  throw new Error('expected SYS.1007');
}

describe('Platform API input', () => {
  it('takes the seed body with the spec defaults', () => {
    expect(parseCreatePlatform(valid)).toEqual({
      ...valid, scope: 'global', regionUuid: '', features: { syncResource: true, monitoring: true, logCollection: false }, useTls: false,
    });
    expect(parseCreatePlatform({ ...valid, productType: 'vmware' }).useTls).toBe(true);
    expect(parseCreatePlatform({ ...valid, hostIp: 'fd00::1' }).hostIp).toBe('fd00::1');
    expect(parseCreatePlatform({ ...valid, hostIp: 'vcenter.example.com' }).hostIp).toBe('vcenter.example.com');
    expect(parseCreatePlatform({ ...valid, scope: 'region', regionUuid: 'a'.repeat(32), features: { logCollection: true } })).toMatchObject({
      scope: 'region', regionUuid: 'a'.repeat(32), features: { syncResource: true, monitoring: true, logCollection: true },
    });
  });

  it('names the field and the rule of each refusal', () => {
    expect(refusal(() => parseCreatePlatform({ ...valid, productType: 'aws' }))).toContain('must be one of [zstack, vmware, openstack]');
    expect(refusal(() => parseCreatePlatform({ ...valid, hostPort: 0 }))).toBe('field[hostPort] must be an integer in 1..65535');
    expect(refusal(() => parseCreatePlatform({ ...valid, hostPort: '8080' }))).toContain('field[hostPort]');
    expect(refusal(() => parseCreatePlatform({ ...valid, hostIp: 'not a host!' }))).toContain('field[hostIp]');
    expect(refusal(() => parseCreatePlatform({ ...valid, name: undefined }))).toBe('field[name] is mandatory');
    expect(refusal(() => parseCreatePlatform({ ...valid, password: undefined }))).toBe('field[password] is mandatory');
    expect(refusal(() => parseCreatePlatform({ ...valid, scope: 'region' }))).toContain('field[regionUuid]');
    expect(refusal(() => parseCreatePlatform({ ...valid, regionUuid: 'a'.repeat(32) }))).toContain('must be empty when scope is global');
    expect(refusal(() => parseCreatePlatform({ ...valid, pasword: 'typo' }))).toContain('unknown field[pasword]');
    expect(refusal(() => parseCreatePlatform({ ...valid, features: { monitor: true } }))).toContain('unknown field[features.monitor]');
    expect(refusal(() => parseCreatePlatform({ ...valid, features: { monitoring: 'yes' } }))).toBe('field[features.monitoring] must be a boolean');
    expect(refusal(() => parseCreatePlatform([valid]))).toBe('the body must be a JSON object');
  });

  it('takes partial updates, credentials only in pairs', () => {
    const current = { scope: 'global' as const, regionUuid: '' };
    expect(parseUpdatePlatform({ hostPort: 443 }, current)).toEqual({ hostPort: 443 });
    expect(parseUpdatePlatform({ username: 'u', password: 'p' }, current)).toEqual({ credentials: { username: 'u', password: 'p' } });
    expect(refusal(() => parseUpdatePlatform({ password: 'p' }, current))).toContain('fields[username, password] go together');
    expect(refusal(() => parseUpdatePlatform({ productType: 'vmware' }, current))).toContain('unknown field[productType]');
    expect(parseUpdatePlatform({ regionUuid: 'b'.repeat(32) }, { scope: 'region', regionUuid: 'a'.repeat(32) })).toEqual({ scope: 'region', regionUuid: 'b'.repeat(32) });
  });

  it('checks a connection test body and list filters', () => {
    expect(parseTestConnection({ productType: 'zstack', endpoint: '10.0.0.1:8080', accessKey: 'AK', secretKey: ' s ' })).toEqual({
      productType: 'zstack', endpoint: '10.0.0.1:8080', accessKey: 'AK', secretKey: ' s ', verifyTls: true,
    });
    expect(refusal(() => parseTestConnection({ productType: 'zstack', endpoint: 'x:1', accessKey: 'AK' }))).toBe('field[secretKey] is mandatory');
    expect(parseListPlatforms({ limit: '10', status: 'connected' })).toEqual({ limit: 10, offset: 0, status: 'connected' });
    expect(refusal(() => parseListPlatforms({ limit: '1001' }))).toContain('query parameter[limit]');
    expect(refusal(() => parseListPlatforms({ healthStatus: 'ok' }))).toContain('[healthy, degraded, unhealthy]');
  });
});
