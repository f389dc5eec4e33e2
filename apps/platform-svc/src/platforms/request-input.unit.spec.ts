import {
  CreatePlatformMsg, ListPlatformsMsg, TestConnectionDetailedMsg, UpdatePlatformMsg, ZStackError, validatePayload, type PlatformScope,
} from '@cp/contracts';
import { createInput, testConnectionInput, updateInput } from './request-input';

const valid = { name: 'prod-zstack-01', productType: 'zstack', hostIp: '192.168.1.100', hostPort: 8080, username: 'admin', password: 'pw' };

/** What CreatePlatform makes of a body: the pipeline's validation, then the handler's input. */
const create = (body: unknown) => createInput(validatePayload(CreatePlatformMsg, { body }).body);
const update = (body: unknown, current: { scope: PlatformScope; regionUuid: string } = { scope: 'global', regionUuid: '' }) =>
  updateInput(validatePayload(UpdatePlatformMsg, { uuid: 'a'.repeat(32), body }).body, current);
const test = (body: unknown) => testConnectionInput(validatePayload(TestConnectionDetailedMsg, { body }).body);
const list = (query: Record<string, unknown>) => ({ ...validatePayload(ListPlatformsMsg, query) });

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

describe('Platform API requests', () => {
  it('takes the seed body with the spec defaults', () => {
    expect(create(valid)).toEqual({
      ...valid, scope: 'global', regionUuid: '', features: { syncResource: true, monitoring: true, logCollection: false }, useTls: false,
    });
    expect(create({ ...valid, productType: 'vmware' }).useTls).toBe(true);
    expect(create({ ...valid, hostIp: 'fd00::1' }).hostIp).toBe('fd00::1');
    expect(create({ ...valid, hostIp: '[fd00::1]' }).hostIp).toBe('fd00::1');
    expect(create({ ...valid, hostIp: 'vcenter.example.com' }).hostIp).toBe('vcenter.example.com');
    expect(create({ ...valid, name: '  x  ', password: ' p ' })).toMatchObject({ name: 'x', password: ' p ' });
    expect(create({ ...valid, scope: 'region', regionUuid: 'a'.repeat(32), features: { logCollection: true } })).toMatchObject({
      scope: 'region', regionUuid: 'a'.repeat(32), features: { syncResource: true, monitoring: true, logCollection: true },
    });
    expect(create({ ...valid, useTls: null, features: null, scope: null })).toMatchObject({ useTls: false, scope: 'global' });
  });

  it('refuses a wrong field, naming it and the rule', () => {
    expect(refusal(() => create({ ...valid, productType: 'aws' }))).toContain('[zstack, vmware, openstack]');
    expect(refusal(() => create({ ...valid, hostPort: 70000 }))).toContain('field[hostPort]');
    expect(refusal(() => create({ ...valid, hostPort: 8080.5 }))).toContain('field[hostPort]');
    expect(refusal(() => create({ ...valid, hostPort: '8080' }))).toContain('field[hostPort]');
    expect(refusal(() => create({ ...valid, hostIp: 'not a host!' }))).toContain('field[hostIp]');
    expect(refusal(() => create({ ...valid, hostIp: 'a'.repeat(254) }))).toContain('field[hostIp]');
    expect(refusal(() => create({ ...valid, name: undefined }))).toContain('field[name] of message[CreatePlatformBody] is mandatory');
    expect(refusal(() => create({ ...valid, name: '   ' }))).toContain('field[name]');
    expect(refusal(() => create({ ...valid, password: undefined }))).toContain('field[password] of message[CreatePlatformBody] is mandatory');
    expect(refusal(() => create({ ...valid, scope: 'region' }))).toContain('field[regionUuid]');
    expect(refusal(() => create({ ...valid, regionUuid: 'a'.repeat(32) }))).toContain('must be empty when scope is global');
    expect(refusal(() => create({ ...valid, pasword: 'typo' }))).toContain('unknown field[pasword]');
    expect(refusal(() => create({ ...valid, features: { monitor: true } }))).toContain('unknown field[features.monitor]');
    expect(refusal(() => create({ ...valid, features: { monitoring: 'yes' } }))).toContain('field[monitoring] of message[PlatformFeaturesBody] must be a boolean');
    expect(refusal(() => create({ ...valid, features: [true] }))).toContain('field[features] of message[CreatePlatformBody] must be a JSON object');
    expect(refusal(() => create([valid]))).toBe('field[body] of message[CreatePlatformMsg] must be a JSON object');
    expect(refusal(() => create(undefined))).toBe('field[body] of message[CreatePlatformMsg] is mandatory, can not be null');
  });

  it('never quotes a refused secret', () => {
    expect(refusal(() => create({ ...valid, password: { secret: 'hunter2' } }))).not.toContain('hunter2');
    expect(refusal(() => test({ productType: 'zstack', endpoint: 'x:1', accessKey: 'AK', secretKey: ['s3cr3t'] }))).not.toContain('s3cr3t');
  });

  it('takes partial updates, credentials only in pairs', () => {
    expect(update({ hostPort: 443 })).toEqual({ hostPort: 443 });
    expect(update({})).toEqual({});
    expect(update({ features: {} })).toEqual({ features: {} });
    expect(update({ features: { monitoring: false } })).toEqual({ features: { monitoring: false } });
    expect(update({ username: 'u', password: 'p' })).toEqual({ credentials: { username: 'u', password: 'p' } });
    expect(refusal(() => update({ password: 'p' }))).toContain('fields[username, password] go together');
    expect(refusal(() => update({ productType: 'vmware' }))).toContain('unknown field[productType]');
    expect(refusal(() => update({ name: '' }))).toContain('field[name]');
    expect(update({ regionUuid: 'b'.repeat(32) }, { scope: 'region', regionUuid: 'a'.repeat(32) })).toEqual({ scope: 'region', regionUuid: 'b'.repeat(32) });
    expect(update({ scope: 'global' }, { scope: 'region', regionUuid: 'a'.repeat(32) })).toEqual({ scope: 'global', regionUuid: '' });
  });

  it('checks a connection test body and list filters', () => {
    expect(test({ productType: 'zstack', endpoint: '10.0.0.1:8080', accessKey: 'AK', secretKey: ' s ' })).toEqual({
      productType: 'zstack', endpoint: '10.0.0.1:8080', accessKey: 'AK', secretKey: ' s ', verifyTls: true,
    });
    expect(refusal(() => test({ productType: 'zstack', endpoint: 'x:1', accessKey: 'AK' }))).toContain('field[secretKey]');
    expect(refusal(() => test({ productType: 'zstack', endpoint: 'x:1', accessKey: 'AK', secretKey: 's', verify: false }))).toContain('unknown field[verify]');
    expect(list({ limit: '10', status: 'connected' })).toEqual({ limit: 10, status: 'connected' });
    expect(list({ limit: 10, offset: '0' })).toEqual({ limit: 10, offset: 0 });
    expect(refusal(() => list({ limit: '1001' }))).toContain('field[limit]');
    expect(refusal(() => list({ limit: '0' }))).toContain('field[limit]');
    expect(refusal(() => list({ offset: '-1' }))).toContain('field[offset]');
    expect(refusal(() => list({ limit: '1e3' }))).toContain('field[limit]');
    expect(refusal(() => list({ healthStatus: 'ok' }))).toContain('[healthy, degraded, unhealthy]');
    expect(refusal(() => list({ status: 'up' }))).toContain('[connected, disconnected]');
  });
});
