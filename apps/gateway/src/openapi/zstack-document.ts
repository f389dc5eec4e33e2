import { ZSTACK_APIS, apiParams, subjectOf, type ZStackApiEntry } from '@cp/contracts';
import { ERROR_ENVELOPE_SCHEMA } from './error-envelope';
import { pathParamsOf, ref, type HttpMethod, type OpenApiDocument, type Operation, type Parameter, type Reference } from './openapi-types';
import { inventorySchema, schemaOf, schemaOfParam, type JsonSchema } from './schema-of';
import { ACCESS_TEXT, securityOf, securitySchemes } from './security';
import {
  JOB_ACCEPTED_SCHEMA,
  JOB_POLL_PATH,
  QUERY_PARAMETERS,
  ZSTACK_HEADERS,
  ZSTACK_PREFIX,
  ZSTACK_RESPONSES,
  jobPoll,
} from './zstack-protocol';

export { ZSTACK_PREFIX } from './zstack-protocol';

/**
 * The ZStack API under `/zstack/v1` as an OpenAPI 3.1 document: one operation per method and path of
 * ZSTACK_APIS (a PUT path shared by several actions is one operation whose body is one of their
 * wrappers), the job poll, ZStack's body key wrapping, sync (200/503) and async (200 or 202 + job)
 * replies, plain-text REST-layer refusals, and the credentials each API needs.
 */
export function zstackDocument(): OpenApiDocument {
  const schemas: Record<string, JsonSchema> = { ErrorEnvelope: ERROR_ENVELOPE_SCHEMA };
  schemas.JobAccepted = JOB_ACCEPTED_SCHEMA;
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
      description:
        "ZStack's REST API as this control plane serves it (wire-compatible with ZStack's SDKs and CLI), generated from the API " +
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
      responses: ZSTACK_RESPONSES,
      parameters: ZSTACK_HEADERS,
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
    name,
    in: 'path',
    required: true,
    schema: pathParamSchema(first, name),
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
  responses[429] = ref('responses', 'TooManyRequests');
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
      name: a.name,
      kind: a.kind,
      access: a.access,
      ...(a.bodyKey ? { bodyKey: a.bodyKey } : {}),
      natsSubject: subjectOf(a),
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
  return apiParams(api.request)
    .filter((p) => !fromPath.includes(p.name))
    .map((p): Parameter => {
      const parameter: Parameter = { name: p.name, in: 'query', required: p.required === true, schema: schemaOfParam(p) };
      if (p.type === 'list')
        Object.assign(parameter, { style: 'form', explode: true, schema: { ...schemaOfParam(p), items: { type: 'string' } } });
      if (p.type === 'map') {
        parameter.schema = { type: 'object', additionalProperties: { type: 'string' } };
        parameter.description = `A map, sent as \`${p.name}.<key>=<value>\` query parameters.`;
      }
      return parameter;
    });
}

/** POST/PUT: `{"<bodyKey>": {...fields}}`, with systemTags/userTags also accepted at the top level; several actions: one of their wrappers. */
function requestBodyOf(
  apis: readonly ZStackApiEntry[],
  fromPath: readonly string[],
  schemas: Record<string, JsonSchema>,
): NonNullable<Operation['requestBody']> {
  const wrappers = apis
    .filter((a) => a.bodyKey !== undefined)
    .map((api): JsonSchema => {
      schemas[api.request.name] ??= schemaOf(api.request, { omit: fromPath });
      return {
        type: 'object',
        title: api.name,
        required: [api.bodyKey],
        properties: {
          [api.bodyKey!]: ref('schemas', api.request.name),
          systemTags: { type: 'array', items: { type: 'string' } },
          userTags: { type: 'array', items: { type: 'string' } },
        },
      };
    });
  return {
    required: true,
    description:
      wrappers.length > 1
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
  if (apis[0].query && !listQuery)
    lines.push(
      `\`${path}\` is the list form with the condition \`uuid=<uuid>\`: the query string is ignored, an unknown uuid gives an empty list.`,
    );
  return lines.join('\n\n');
}
