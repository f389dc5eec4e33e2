import { ERROR_CODES, REST_APIS, ZSTACK_APIS, apiParams } from '@cp/contracts';
import { DOCS_CSP, DOCS_HTML, DOCS_INITIALIZER, DOCS_INITIALIZER_JS, DOCS_PATH } from './docs-page';
import { REST_OPENAPI_PATH, ZSTACK_OPENAPI_PATH, openApiDocuments, type OpenApiDocument } from './openapi';
import type { Operation } from './openapi-types';

/**
 * The package is an ES module: Node's own require loads it (require(esm), Node >= 20.19), outside
 * jest's CommonJS module registry, which cannot (jest's `require` and its `node:module` are its own).
 */
type ValidatorModule = typeof import('@seriousme/openapi-schema-validator');
const nodeRequire = process.getBuiltinModule('node:module').createRequire(__filename);
const { Validator } = nodeRequire('@seriousme/openapi-schema-validator') as ValidatorModule;

const { rest, zstack } = openApiDocuments();
/** As served: the JSON text, parsed back. */
const served = (doc: OpenApiDocument) => JSON.parse(JSON.stringify(doc)) as Record<string, unknown>;
const routesOf = (doc: OpenApiDocument) =>
  Object.entries(doc.paths)
    .flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`))
    .sort();
const op = (doc: OpenApiDocument, method: string, path: string): Operation => {
  const found = (doc.paths[path] as Record<string, Operation> | undefined)?.[method];
  if (!found) throw new Error(`no ${method} ${path} in the document`);
  return found;
};
/** Follows a local `$ref` (`#/components/...`). */
const deref = (doc: OpenApiDocument, value: unknown): any => {
  const ref = (value as { $ref?: string }).$ref;
  if (!ref) return value;
  return ref
    .slice(2)
    .split('/')
    .reduce((node: any, key) => node[key], doc);
};

describe('the OpenAPI documents', () => {
  it.each([
    ['/api/v1', rest],
    ['/zstack/v1', zstack],
  ])('%s is a valid OpenAPI 3.1 document', async (_name, doc) => {
    const result = await new Validator().validate(served(doc));
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
  });

  it('the validator does refuse a broken document (the check above means something)', async () => {
    const broken = served(rest);
    (broken.paths as Record<string, unknown>)['/platforms'] = { get: { responses: 'none' } };
    expect((await new Validator().validate(broken)).valid).toBe(false);
  });

  it('lists every ZStack route of the registry, the job poll, and nothing else', () => {
    const expected = ZSTACK_APIS.flatMap((api) => api.paths.map((path) => `${api.method} ${path}`));
    expect(routesOf(zstack)).toEqual([...new Set([...expected, 'GET /api-jobs/{uuid}'])].sort());
    expect(zstack.servers).toEqual([{ url: '/zstack/v1' }]);
  });

  it('lists every /api/v1 route of the registry and nothing else', () => {
    expect(routesOf(rest)).toEqual(REST_APIS.map((api) => `${api.method} ${api.path}`).sort());
    expect(rest.servers).toEqual([{ url: '/api/v1' }]);
  });

  it.each([
    ['/api/v1', rest],
    ['/zstack/v1', zstack],
  ])('%s: unique operation ids, and each path variable declared once as a required path parameter', (_name, doc) => {
    const operations = Object.entries(doc.paths).flatMap(([path, item]) => Object.values(item).map((o) => [path, o] as const));
    const ids = operations.map(([, o]) => o.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const [path, o] of operations) {
      const declared = (o.parameters ?? []).map((p) => deref(doc, p)).filter((p) => p.in === 'path');
      expect([path, declared.map((p: any) => p.name)]).toEqual([path, [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1])]);
      expect(declared.every((p: any) => p.required === true)).toBe(true);
    }
  });

  it('describes each request with its request class: the same fields, the same rules', () => {
    for (const api of ZSTACK_APIS.filter((a) => a.bodyKey !== undefined)) {
      const fromPath = [...api.paths[0].matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const schema = zstack.components.schemas[api.request.name] as { properties: Record<string, unknown> };
      expect(Object.keys(schema.properties)).toEqual(
        apiParams(api.request)
          .map((p) => p.name)
          .filter((n) => !fromPath.includes(n)),
      );
    }
    const createAccount = zstack.components.schemas.APICreateAccountMsg as any;
    expect(createAccount.required).toEqual(['name', 'password']);
    expect(createAccount.properties.name).toEqual({ type: 'string', maxLength: 255 });
    expect(createAccount.properties.type.enum).toEqual(['SystemAdmin', 'Normal']);
    expect(createAccount.properties.resourceUuid.pattern).toMatch(/^\^\[0-9a-f\]/);
    const createPlatform = rest.components.schemas.CreatePlatformBody as any;
    expect(createPlatform.additionalProperties).toBe(false);
    expect(createPlatform.properties.hostPort).toEqual({ type: 'integer', minimum: 1, maximum: 65535 });
    expect(createPlatform.properties.features.additionalProperties).toBe(false);
  });

  it('marks secret fields writeOnly with format password, and only those', () => {
    const createPlatform = rest.components.schemas.CreatePlatformBody as any;
    expect(createPlatform.properties.password).toMatchObject({ type: 'string', format: 'password', writeOnly: true });
    expect(createPlatform.properties.username.writeOnly).toBeUndefined();
    expect((rest.components.schemas.TestConnectionDetailedBody as any).properties.secretKey).toMatchObject({
      format: 'password',
      writeOnly: true,
    });
    expect((zstack.components.schemas.APICreateAccessKeyMsg as any).properties.AccessKeySecret).toMatchObject({
      format: 'password',
      writeOnly: true,
    });
  });

  it("wraps ZStack bodies in their key, and a shared action path takes one of its actions' keys", () => {
    const update = op(zstack, 'put', '/accounts/{uuid}').requestBody!.content['application/json'].schema as any;
    expect(update.required).toEqual(['updateAccount']);
    expect(update.properties.updateAccount).toEqual({ $ref: '#/components/schemas/APIUpdateAccountMsg' });
    // The path variable is not a body field.
    expect((zstack.components.schemas.APIUpdateAccountMsg as any).properties.uuid).toBeUndefined();
    expect((op(zstack, 'post', '/accounts').requestBody!.content['application/json'].schema as any).required).toEqual(['params']);
    const actions = op(zstack, 'put', '/iam2/virtual-ids/{uuid}/actions');
    const keys = (actions.requestBody!.content['application/json'].schema as any).oneOf.map((w: any) => w.required[0]);
    expect(keys).toEqual(['updateIAM2VirtualID', 'changeIAM2VirtualIDState', 'changeIAM2VirtualIDType']);
  });

  it('documents an async ZStack command as 200 or 202 with a job to poll, and a sync API without 202', () => {
    const create = op(zstack, 'post', '/accounts');
    expect(Object.keys(create.responses)).toEqual(expect.arrayContaining(['200', '202', '400', '503']));
    const accepted = deref(zstack, create.responses[202]);
    expect(deref(zstack, accepted.content['application/json'].schema).properties.location).toMatchObject({ type: 'string', format: 'uri' });
    expect(accepted.links.poll.operationId).toBe('PollApiJob');
    expect(create.parameters!.map((p) => deref(zstack, p).name)).toEqual(expect.arrayContaining(['X-Job-UUID', 'X-API-Timeout']));
    const poll = op(zstack, 'get', '/api-jobs/{uuid}');
    expect(poll.operationId).toBe('PollApiJob');
    expect(Object.keys(poll.responses).sort()).toEqual(['200', '202', '404', '503']);
    expect(deref(zstack, poll.responses[404]).content['text/plain'].example).toBe('the job has been expired');
    expect(op(zstack, 'get', '/accounts').responses[202]).toBeUndefined();
    expect(op(zstack, 'get', '/accounts').parameters!.map((p) => deref(zstack, p).name)).toEqual(
      expect.arrayContaining(['q', 'limit', 'start', 'sort', 'fields']),
    );
  });

  it('answers failures with the error envelope: 503 on the ZStack routes, the ERROR_CODES status on /api/v1', () => {
    for (const doc of [rest, zstack]) {
      const envelope = doc.components.schemas.ErrorEnvelope as any;
      expect(envelope.required).toEqual(['error']);
      expect(envelope.properties.error.required).toEqual(['code', 'description', 'details']);
      expect(envelope.properties.error.properties.code.enum).toEqual(Object.keys(ERROR_CODES));
    }
    const failure = deref(zstack, op(zstack, 'put', '/accounts/login').responses[503]);
    expect(failure.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ErrorEnvelope' });
    const getPlatform = op(rest, 'get', '/platforms/{uuid}');
    const statuses = [...new Set(Object.values(ERROR_CODES).map((c) => String(c.httpStatus)))];
    expect(Object.keys(getPlatform.responses)).toEqual(expect.arrayContaining(['200', ...statuses]));
    const notFound = deref(rest, getPlatform.responses[404]);
    expect(notFound.description).toContain('SYS.1003');
    expect(notFound.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ErrorEnvelope' });
    expect(getPlatform.responses[413]).toBeUndefined();
    expect(op(rest, 'post', '/platforms').responses[413]).toBeDefined();
  });

  it('says which credential each operation needs', () => {
    expect(op(zstack, 'put', '/accounts/login').security).toEqual([]);
    expect(op(zstack, 'post', '/accounts').security).toEqual([{ OAuthSession: [] }, { AccessKeySignature: [] }]);
    expect(op(rest, 'get', '/audit/events').security).toEqual([{ BearerSession: [] }, { OAuthSession: [] }, { AccessKeySignature: [] }]);
    expect(rest.components.securitySchemes.BearerSession).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(zstack.components.securitySchemes.BearerSession).toBeUndefined();
    expect(JSON.stringify(zstack.components.securitySchemes.AccessKeySignature)).toContain('/v1<path>');
  });

  it('documents query parameters and NDJSON export of /api/v1 routes', () => {
    const events = op(rest, 'get', '/audit/events');
    expect(events.parameters!.map((p) => deref(rest, p).name)).toEqual(expect.arrayContaining(['resourceType', 'after', 'limit']));
    expect(Object.keys((events.responses[200] as any).content)).toEqual(['application/json', 'application/x-ndjson']);
    const asOf = op(rest, 'get', '/audit/resources/{uuid}')
      .parameters!.map((p) => deref(rest, p))
      .find((p) => p.name === 'asOf');
    expect(asOf).toMatchObject({ in: 'query', required: true });
  });

  it('is a pure function of the registry: the same documents every time', () => {
    expect(openApiDocuments()).toEqual({ rest, zstack });
  });
});

describe('the documentation page', () => {
  it('loads its scripts from the gateway only, with no inline script, under a CSP without unsafe-inline scripts', () => {
    const scripts = [...DOCS_HTML.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBe(3);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(new RegExp(`src="${DOCS_PATH}/`));
      expect(body.trim()).toBe('');
    }
    expect(DOCS_HTML).toContain(`${DOCS_PATH}/${DOCS_INITIALIZER}`);
    expect(DOCS_HTML).not.toMatch(/https?:\/\//);
    const scriptSrc = DOCS_CSP.split(';')
      .map((d) => d.trim())
      .find((d) => d.startsWith('script-src'));
    expect(scriptSrc).toBe("script-src 'self'");
    expect(DOCS_INITIALIZER_JS).toContain(REST_OPENAPI_PATH);
    expect(DOCS_INITIALIZER_JS).toContain(ZSTACK_OPENAPI_PATH);
  });
});
