import { ZSTACK_APIS, apiParams, subjectOf, type ZStackApiEntry } from '@cp/contracts';
import { DEFAULT_LIMIT } from '@cp/query';
import { ERROR_ENVELOPE_SCHEMA, ZSTACK_FAILURE } from './error-envelope';
import { pathParamsOf, type HttpMethod, type OpenApiDocument, type Operation, type Parameter, type Reference, type Response } from './openapi-types';
import { inventorySchema, schemaOf, schemaOfParam, type JsonSchema } from './schema-of';
import { ACCESS_TEXT, securityOf, securitySchemes } from './security';

/** Where the gateway serves the ZStack API (zstack/zstack-routes.ts), and its job poll (zstack/zstack-api.ts JOBS_PATH). */
export const ZSTACK_PREFIX = '/zstack/v1';
export const JOB_POLL_PATH = '/api-jobs/{uuid}';
export const JOB_POLL_OPERATION = 'PollApiJob';

const ref = (kind: 'schemas' | 'responses' | 'parameters', name: string): Reference => ({ $ref: `#/components/${kind}/${name}` });
const plainText = (description: string, example: string): Response => ({
  description, content: { 'text/plain': { schema: { type: 'string' }, example } },
});

/** ZStack's headers (zstack-wire.md §1.7), as reusable parameters. */
const HEADERS: Record<string, Parameter> = {
  XJobUuid: {
    name: 'X-Job-UUID', in: 'header', schema: { type: 'string', pattern: '^[0-9a-fA-F]{32}$' },
    description: "The job's id (32 hex digits; random when absent). Sending the same id again returns the first outcome instead of running the command twice.",
  },
  XApiTimeout: {
    name: 'X-API-Timeout', in: 'header', schema: { type: 'integer', minimum: 1 },
    description: 'Seconds after which a job that has not finished polls as SYS.1001 (default API_TIMEOUT_MS).',
  },
  XJsonSchema: {
    name: 'X-JSON-Schema', in: 'header', schema: { type: 'string' },
    description: 'When present (any value), the reply carries `schema`: JSON paths → ZStack server class names. Query replies always carry it.',
  },
  Date: {
    name: 'Date', in: 'header', schema: { type: 'string' },
    description: 'With an access-key signature: the signed time (`EEE, dd MMM yyyy HH:mm:ss z`, within 15 minutes of the server).',
  },
};

/** The query string of a query API's list path (libs/query parseQueryString). */
const QUERY_PARAMETERS: Parameter[] = [
  {
    name: 'q', in: 'query', style: 'form', explode: true, schema: { type: 'array', items: { type: 'string' } },
    description: 'A condition `<field><op><value>`, repeatable (ANDed). Operators, matched in this order: `!=`, `>=`, `<=`, `!?=` (not in), ' +
      '`!~=` (not like), `~=` (like, `%` and `_` wildcards), `?=` (in, comma-separated values), `=`, `>`, `<`, `is null`, `not null`.',
  },
  { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 0, default: DEFAULT_LIMIT }, description: 'At most this many inventories.' },
  { name: 'start', in: 'query', schema: { type: 'integer', minimum: 0, default: 0 }, description: 'Skip this many (the offset).' },
  { name: 'count', in: 'query', schema: { type: 'boolean' }, description: 'Reply `total` only, no inventories.' },
  { name: 'replyWithCount', in: 'query', schema: { type: 'boolean' }, description: 'Add `total` (the count before limit and start).' },
  { name: 'sort', in: 'query', schema: { type: 'string' }, description: '`+field` (ascending, also a bare `field`) or `-field` (descending).' },
  { name: 'fields', in: 'query', schema: { type: 'string' }, description: 'Comma-separated fields: the inventories carry these only.' },
];

/**
 * The ZStack API under `/zstack/v1` as an OpenAPI 3.1 document: one operation per method and path of
 * ZSTACK_APIS (a PUT path shared by several actions is one operation whose body is one of their
 * wrappers), the job poll, ZStack's body key wrapping, sync (200/503) and async (200 or 202 + job)
 * replies, plain-text REST-layer refusals, and the credentials each API needs.
 */
export function zstackDocument(): OpenApiDocument {
  const schemas: Record<string, JsonSchema> = { ErrorEnvelope: ERROR_ENVELOPE_SCHEMA };
  schemas.JobAccepted = {
    type: 'object', required: ['location'],
    properties: {
      location: { type: 'string', format: 'uri', description: `The job to poll: \`<PUBLIC_URL or the request's base>${ZSTACK_PREFIX}/api-jobs/<job uuid>\`` },
      apiTimeout: { type: 'integer', description: 'Milliseconds the job may run before it polls as SYS.1001' },
    },
  };
  const paths: OpenApiDocument['paths'] = {};
  for (const [path, byMethod] of routesOf(ZSTACK_APIS)) {
    paths[path] = {};
    for (const [method, apis] of byMethod) paths[path][method] = operationOf(path, method, apis, schemas);
  }
  paths[JOB_POLL_PATH] = { get: jobPoll() };
  const contexts = [...new Set(ZSTACK_APIS.map((a) => a.context))];
  return {
    openapi: '3.1.0',
    info: {
      title: 'ZStack-compatible API',
      version: 'v1',
      description: "ZStack's REST API as this control plane serves it (wire-compatible with ZStack's SDKs and CLI), generated from the API " +
        'registry (libs/contracts). Commands run as jobs: 200 with the result when they finish within FAST_PATH_MS, else 202 with a ' +
        `\`location\` to poll (\`GET ${ZSTACK_PREFIX}${JOB_POLL_PATH}\`). API failures are 503 with \`{"error": {...}}\`; failures of the ` +
        'REST layer itself (headers, JSON syntax, field types, unknown paths, body size) are plain text.',
    },
    servers: [{ url: ZSTACK_PREFIX }],
    tags: [
      ...contexts.map((c) => ({ name: c, description: `APIs answered by ${c}-svc` })),
      { name: 'jobs', description: 'The job protocol of async APIs' },
    ],
    paths,
    components: {
      schemas,
      responses: {
        JobAccepted: {
          description: 'The job runs on: poll its `location` (202 `{}` while it runs, then 200 with the result or 503 with the error)',
          content: { 'application/json': { schema: ref('schemas', 'JobAccepted') } },
          links: {
            poll: {
              operationId: JOB_POLL_OPERATION, parameters: { uuid: '$request.header.X-Job-UUID' },
              description: 'The job uuid is the X-Job-UUID sent (else the last segment of `location`)',
            },
          },
        },
        ApiFailure: ZSTACK_FAILURE,
        BadRequest: plainText(
          'Refused by the REST layer (plain text): a missing or malformed Authorization, malformed JSON, a field of the wrong JSON type, ' +
          'a body without the action key of a shared path, an invalid X-Job-UUID or X-API-Timeout, a duplicate job uuid',
          "missing header 'Authorization'",
        ),
        RequestTimeTooSkewed: plainText("A signed request's Date is missing, malformed or more than 15 minutes off", 'requestTimeTooSkewed'),
        BodyTooLarge: plainText('The body is larger than the route accepts (BODY_LIMIT_BYTES, or the API\'s own limit)', 'the request body is too large'),
      },
      parameters: HEADERS,
      securitySchemes: securitySchemes('zstack'),
    },
  };
}

/** Path → method → the APIs served there, in registry order (as zstack-routes.ts builds its routes). */
function routesOf(apis: readonly ZStackApiEntry[]): Map<string, Map<HttpMethod, ZStackApiEntry[]>> {
  const routes = new Map<string, Map<HttpMethod, ZStackApiEntry[]>>();
  for (const api of apis) {
    for (const path of api.paths) {
      const byMethod = routes.get(path) ?? new Map<HttpMethod, ZStackApiEntry[]>();
      const method = api.method.toLowerCase() as HttpMethod;
      byMethod.set(method, [...(byMethod.get(method) ?? []), api]);
      routes.set(path, byMethod);
    }
  }
  return routes;
}

/** The operation id of an API at one of its paths: its name at the canonical path, `<name>ByUuid` (or `<name>At<n>`) at another. */
function operationIdOf(api: ZStackApiEntry, path: string): string {
  const index = api.paths.indexOf(path);
  if (index === 0) return api.name;
  return path === `${api.paths[0]}/{uuid}` ? `${api.name}ByUuid` : `${api.name}At${index}`;
}

function operationOf(path: string, method: HttpMethod, apis: ZStackApiEntry[], schemas: Record<string, JsonSchema>): Operation {
  const fromPath = pathParamsOf(path);
  const [first] = apis;
  const async = apis.some((a) => a.kind === 'command');
  const authenticated = apis.some((a) => a.access !== 'none');
  const listQuery = first.query === true && fromPath.length === 0;
  const parameters: Array<Parameter | Reference> = fromPath.map((name) => ({
    name, in: 'path', required: true, schema: pathParamSchema(first, name),
  }));
  if (listQuery) parameters.push(...QUERY_PARAMETERS);
  else if ((method === 'get' || method === 'delete') && !first.query) parameters.push(...queryParametersOf(first, fromPath));
  if (async) parameters.push(ref('parameters', 'XJobUuid'), ref('parameters', 'XApiTimeout'));
  parameters.push(ref('parameters', 'XJsonSchema'));
  if (authenticated) parameters.push(ref('parameters', 'Date'));

  // Actions sharing a path may reply differently: one of their replies then.
  const results = [...new Map(apis.map((a) => resultSchema(a, schemas)).map((r) => [JSON.stringify(r), r])).values()];
  const result = results.length === 1 ? results[0] : { oneOf: results };
  const responses: Operation['responses'] = {
    200: {
      description: async ? 'Done within FAST_PATH_MS: the result' : 'The result',
      content: { 'application/json': { schema: result } },
    },
  };
  if (async) responses[202] = ref('responses', 'JobAccepted');
  responses[400] = ref('responses', 'BadRequest');
  if (authenticated) responses[403] = ref('responses', 'RequestTimeTooSkewed');
  const withBody = apis.some((a) => a.bodyKey !== undefined) && (method === 'post' || method === 'put');
  if (withBody) responses[413] = ref('responses', 'BodyTooLarge');
  responses[503] = ref('responses', 'ApiFailure');

  const operation: Operation = {
    operationId: apis.map((a) => operationIdOf(a, path)).join('_or_'),
    summary: apis.map((a) => a.name).join(' | '),
    description: descriptionOf(apis, path, listQuery),
    tags: [first.context],
    parameters,
    responses,
    security: authenticated ? securityOf('session', 'zstack') : [],
    'x-zstack-apis': apis.map((a) => ({
      name: a.name, kind: a.kind, access: a.access, ...(a.bodyKey ? { bodyKey: a.bodyKey } : {}), natsSubject: subjectOf(a),
    })),
  };
  if (withBody) operation.requestBody = requestBodyOf(apis, fromPath, schemas);
  return operation;
}

/** A path variable's schema: the request class's field of that name when it declares one. */
function pathParamSchema(api: ZStackApiEntry, name: string): JsonSchema {
  const spec = apiParams(api.request).find((p) => p.name === name);
  return spec ? schemaOfParam(spec) : { type: 'string' };
}

/** GET/DELETE: the message's fields from the query string (repeated keys make a list, `name.key=value` a map entry). */
function queryParametersOf(api: ZStackApiEntry, fromPath: readonly string[]): Parameter[] {
  return apiParams(api.request).filter((p) => !fromPath.includes(p.name)).map((p): Parameter => {
    const parameter: Parameter = { name: p.name, in: 'query', required: p.required === true, schema: schemaOfParam(p) };
    if (p.type === 'list') Object.assign(parameter, { style: 'form', explode: true, schema: { ...schemaOfParam(p), items: { type: 'string' } } });
    if (p.type === 'map') {
      parameter.schema = { type: 'object', additionalProperties: { type: 'string' } };
      parameter.description = `A map, sent as \`${p.name}.<key>=<value>\` query parameters.`;
    }
    return parameter;
  });
}

/** POST/PUT: `{"<bodyKey>": {...fields}}`, with systemTags/userTags also accepted at the top level; several actions: one of their wrappers. */
function requestBodyOf(apis: readonly ZStackApiEntry[], fromPath: readonly string[], schemas: Record<string, JsonSchema>): NonNullable<Operation['requestBody']> {
  const wrappers = apis.filter((a) => a.bodyKey !== undefined).map((api): JsonSchema => {
    schemas[api.request.name] ??= schemaOf(api.request, { omit: fromPath });
    return {
      type: 'object', title: api.name, required: [api.bodyKey],
      properties: {
        [api.bodyKey!]: ref('schemas', api.request.name),
        systemTags: { type: 'array', items: { type: 'string' } },
        userTags: { type: 'array', items: { type: 'string' } },
      },
    };
  });
  return {
    required: true,
    description: wrappers.length > 1
      ? `The action is the body key: ${apis.map((a) => `\`${a.bodyKey}\` (${a.name})`).join(', ')}. A body with none of them is refused (400).`
      : `The message's fields under \`${apis[0].bodyKey}\` (unknown keys are ignored, as ZStack does). Path variables come from the path.`,
    content: { 'application/json': { schema: wrappers.length > 1 ? { oneOf: wrappers } : wrappers[0] } },
  };
}

/** The reply: `{inventories, total?, schema}` for queries, `{inventory}` for an API with a result inventory, else ZStack's plain map. */
function resultSchema(api: ZStackApiEntry, schemas: Record<string, JsonSchema>): JsonSchema {
  const schemaMap = { type: 'object', additionalProperties: { type: 'string' }, description: 'JSON path → ZStack server class' };
  if (api.query && api.result) {
    return {
      type: 'object',
      properties: {
        inventories: { type: 'array', items: inventorySchema(api.result, schemas) },
        total: { type: 'integer', description: 'With `count` or `replyWithCount`' },
        schema: schemaMap,
      },
    };
  }
  if (api.result) return { type: 'object', properties: { inventory: inventorySchema(api.result, schemas), schema: schemaMap } };
  return { type: 'object', description: 'The reply map (`{}` when the API returns nothing)' };
}

function descriptionOf(apis: readonly ZStackApiEntry[], path: string, listQuery: boolean): string {
  const lines = apis.map((a) => {
    const kind = a.kind === 'command' ? 'async (a job)' : 'sync';
    const secret = a.secretResultFields?.length ? ` The reply's ${a.secretResultFields.join(', ')} is shown once, to the job's owner.` : '';
    return `**${a.name}**: ${kind}. ${ACCESS_TEXT[a.access]} NATS subject \`${subjectOf(a)}\`.${secret}`;
  });
  if (apis[0].query && !listQuery) lines.push(`\`${path}\` is the list form with the condition \`uuid=<uuid>\`: the query string is ignored, an unknown uuid gives an empty list.`);
  return lines.join('\n\n');
}

/** `GET /zstack/v1/api-jobs/{uuid}`: the job of an async API, for the caller that started it (its session or key, or its account, or the admin). */
function jobPoll(): Operation {
  return {
    operationId: JOB_POLL_OPERATION,
    summary: 'Poll a job',
    description: "The outcome of an async API's job, for the credential that started it, another of its account, or the admin; " +
      'anyone else gets the answer of an unknown job (404).',
    tags: ['jobs'],
    parameters: [
      { name: 'uuid', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9a-f]{32}$' }, description: "The job's uuid" },
      ref('parameters', 'XJsonSchema'),
      ref('parameters', 'Date'),
    ],
    responses: {
      200: { description: "Done: the API's result (as its own 200 reply)", content: { 'application/json': { schema: { type: 'object' } } } },
      202: { description: 'Still running', content: { 'application/json': { schema: { type: 'object', maxProperties: 0 }, example: {} } } },
      404: plainText('Unknown, expired (after JOB_TTL_SEC) or not the caller\'s', 'the job has been expired'),
      503: { ...ZSTACK_FAILURE, description: 'The job failed: its error' },
    },
    security: securityOf('session', 'zstack'),
  };
}
