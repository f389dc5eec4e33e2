import { ApiNames, OTHER_ROUTES } from './api-names';

describe('ApiNames (the api label of the gateway\'s HTTP metrics)', () => {
  const names = new ApiNames();

  it('names a ZStack route by its API, a shared path by the body key it is dispatched on', () => {
    expect(names.of('PUT', '/zstack/v1/accounts/login', {})).toBe('LogInByAccount');
    expect(names.of('GET', '/zstack/v1/accounts/:uuid', undefined)).toBe('QueryAccount');
    expect(names.of('POST', '/zstack/v1/accounts', { params: {} })).toBe('CreateAccount');
    const actions = '/zstack/v1/iam2/virtual-ids/:uuid/actions';
    expect(names.of('PUT', actions, { changeIAM2VirtualIDState: { stateEvent: 'disable' } })).toBe('ChangeIAM2VirtualIDState');
    expect(names.of('PUT', actions, { updateIAM2VirtualID: {} })).toBe('UpdateIAM2VirtualID');
    expect(names.of('PUT', actions, { noSuchAction: {} })).toBe(OTHER_ROUTES.unmatched);
    expect(names.of('PUT', actions, 'not an object')).toBe(OTHER_ROUTES.unmatched);
  });

  it('names an /api/v1 route by its API', () => {
    expect(names.of('GET', '/api/v1/platforms', undefined)).toBe('ListPlatforms');
    expect(names.of('POST', '/api/v1/platforms', {})).toBe('CreatePlatform');
  });

  it('gives the other routes fixed names, never the request\'s path', () => {
    expect(names.of('GET', '/zstack/v1/api-jobs/:uuid', undefined)).toBe('job-poll');
    expect(names.of('GET', '/metrics', undefined)).toBe('metrics');
    expect(names.of('GET', '/health', undefined)).toBe('health');
    expect(names.of('GET', '/health/ready', undefined)).toBe('health-ready');
    expect(names.of('GET', '/health/live', undefined)).toBe('health-live');
    expect(names.of('DELETE', '/zstack/v1/accounts/login', undefined)).toBe('method-not-allowed');
    expect(names.of('GET', '/zstack/v1/*', undefined)).toBe('unmatched');
    expect(names.of('GET', '/api/v1/*', undefined)).toBe('unmatched');
    expect(names.of('GET', undefined, undefined)).toBe('unmatched');
    expect(names.of('GET', '/api/v1/openapi.json', undefined)).toBe('other');
    // The console's routes (a static route and its files' wildcard): one label, not the catch-alls' "unmatched".
    expect(names.of('GET', '/console', undefined)).toBe('console');
    expect(names.of('GET', '/console/*', undefined)).toBe('console');
  });
});
