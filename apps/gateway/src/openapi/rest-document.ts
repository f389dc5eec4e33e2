import { REST_APIS, apiParams, queryParamsOf, subjectOf, type ApiParamSpec, type RestApiEntry } from '@cp/contracts';
import { ERROR_ENVELOPE_SCHEMA, REST_ERROR_STATUSES, restErrorResponses } from './error-envelope';
import { pathParamsOf, ref, type HttpMethod, type OpenApiDocument, type Operation, type Parameter, type Reference } from './openapi-types';
import { schemaOf, schemaOfParam, type JsonSchema } from './schema-of';
import { ACCESS_TEXT, securityOf, securitySchemes } from './security';

/** Where the gateway serves our own JSON API (rest-api/rest-api-routes.ts REST_PREFIX). */
export const REST_PREFIX = '/api/v1';

/**
 * Our own JSON API under `/api/v1` (control-plane-api.md) as an OpenAPI 3.1 document: one operation
 * per REST_APIS entry, its path and query parameters and JSON body from its request class (the class
 * the services validate with), the error envelope under each HTTP status of the ERROR_CODES table.
 */
export function restDocument(): OpenApiDocument {
  const schemas: Record<string, JsonSchema> = { ErrorEnvelope: ERROR_ENVELOPE_SCHEMA };
  const paths: OpenApiDocument['paths'] = {};
  for (const api of REST_APIS) {
    paths[api.path] ??= {};
    paths[api.path][api.method.toLowerCase() as HttpMethod] = operationOf(api, schemas);
  }
  const contexts = [...new Set(REST_APIS.map((a) => a.context))];
  return {
    openapi: '3.1.0',
    info: {
      title: 'Control plane API',
      version: 'v1',
      description:
        "The control plane's own JSON API (federation platforms, audit, template previews), generated from the API registry " +
        '(libs/contracts). Synchronous JSON; errors are the HTTP status of their code with `{"error": {"code", "description", "details"}}`.',
    },
    servers: [{ url: REST_PREFIX }],
    tags: contexts.map((c) => ({ name: c, description: `APIs answered by ${c}-svc` })),
    paths,
    components: {
      schemas,
      responses: restErrorResponses(),
      parameters: {
        IdempotencyKey: {
          name: 'Idempotency-Key',
          in: 'header',
          schema: { type: 'string', pattern: '^[0-9a-fA-F-]{32,36}$' },
          description: "The command's id, a UUID (ZStack's `X-Job-UUID` is read too): the same key again returns the first outcome.",
        },
        Date: {
          name: 'Date',
          in: 'header',
          schema: { type: 'string' },
          description: 'With an access-key signature: the signed time (`EEE, dd MMM yyyy HH:mm:ss z`, within 15 minutes of the server).',
        },
      },
      securitySchemes: securitySchemes('rest'),
    },
  };
}

function operationOf(api: RestApiEntry, schemas: Record<string, JsonSchema>): Operation {
  const specs = apiParams(api.request);
  const spec = (name: string): ApiParamSpec | undefined => specs.find((p) => p.name === name);
  const parameters: Array<Parameter | Reference> = [
    ...pathParamsOf(api.path).map((name): Parameter => {
      const p = spec(name);
      return { name, in: 'path', required: true, schema: p ? schemaOfParam(p) : { type: 'string' } };
    }),
    ...queryParamsOf(api).map((name): Parameter => {
      const p = spec(name)!;
      return { name, in: 'query', required: p.required === true, schema: schemaOfParam(p) };
    }),
  ];
  if (api.kind === 'command') parameters.push(ref('parameters', 'IdempotencyKey'));
  if (api.access !== 'none') parameters.push(ref('parameters', 'Date'));

  const ok: NonNullable<Operation['responses'][string]> = {
    description: 'The result',
    content: {
      'application/json': { schema: { type: 'object' } },
      ...(api.ndjson ? { 'application/x-ndjson': { schema: { type: 'string', description: 'One item per line, every page' } } } : {}),
    },
  };
  const responses: Operation['responses'] = { 200: ok };
  const body = api.bodyKey === undefined ? undefined : spec(api.bodyKey);
  for (const status of [...REST_ERROR_STATUSES, ...(body ? [413] : [])].sort((a, b) => a - b))
    responses[status] = ref('responses', `Error${status}`);

  const notes = [
    `${api.kind === 'command' ? 'A command' : 'A query'}. ${ACCESS_TEXT[api.access]} NATS subject \`${subjectOf(api)}\`.`,
    ...(api.ndjson ? ['`Accept: application/x-ndjson` streams every page as NDJSON (one item per line) for export.'] : []),
    ...(api.bodyKey === undefined && api.method !== 'GET' && api.method !== 'DELETE' ? ['Takes no body.'] : []),
  ];
  const operation: Operation = {
    operationId: api.name,
    summary: api.name,
    description: notes.join('\n\n'),
    tags: [api.context],
    parameters,
    responses,
    security: securityOf(api.access, 'rest'),
    'x-access': api.access,
    'x-nats-subject': subjectOf(api),
  };
  if (body)
    operation.requestBody = { required: body.required === true, content: { 'application/json': { schema: bodySchema(body, schemas) } } };
  return operation;
}

/** The JSON body: a shaped object as its own component (named for its class), else the field's schema (a map). */
function bodySchema(body: ApiParamSpec, schemas: Record<string, JsonSchema>): JsonSchema {
  if (body.type !== 'object' || !body.shape) return schemaOfParam(body);
  schemas[body.shape.name] ??= schemaOf(body.shape, { closed: body.refuseUnknown });
  return ref('schemas', body.shape.name);
}
