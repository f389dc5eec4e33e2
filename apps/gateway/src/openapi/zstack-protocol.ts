import { DEFAULT_LIMIT } from '@cp/query';
import { TOO_MANY_REQUESTS, ZSTACK_FAILURE } from './error-envelope';
import { ref, type Operation, type Parameter, type Response } from './openapi-types';
import type { JsonSchema } from './schema-of';
import { securityOf } from './security';

/*
 * ZStack's wire protocol as OpenAPI parts (zstack-wire.md §1): its headers, the query string of
 * query APIs, the job protocol of async APIs, the plain-text refusals of its REST layer.
 */

/** Where the gateway serves the ZStack API (zstack/zstack-routes.ts), and its job poll (zstack/zstack-api.ts JOBS_PATH). */
export const ZSTACK_PREFIX = '/zstack/v1';
export const JOB_POLL_PATH = '/api-jobs/{uuid}';
export const JOB_POLL_OPERATION = 'PollApiJob';

const plainText = (description: string, example: string): Response => ({
  description,
  content: { 'text/plain': { schema: { type: 'string' }, example } },
});

/** ZStack's headers (zstack-wire.md §1.7), as reusable parameters. */
export const ZSTACK_HEADERS: Record<string, Parameter> = {
  XJobUuid: {
    name: 'X-Job-UUID',
    in: 'header',
    schema: { type: 'string', pattern: '^[0-9a-fA-F]{32}$' },
    description:
      "The job's id (32 hex digits; random when absent). Sending the same id again returns the first outcome instead of running the command twice.",
  },
  XApiTimeout: {
    name: 'X-API-Timeout',
    in: 'header',
    schema: { type: 'integer', minimum: 1 },
    description: 'Seconds after which a job that has not finished polls as SYS.1001 (default API_TIMEOUT_MS).',
  },
  XJsonSchema: {
    name: 'X-JSON-Schema',
    in: 'header',
    schema: { type: 'string' },
    description:
      'When present (any value), the reply carries `schema`: JSON paths → ZStack server class names. Query replies always carry it.',
  },
  Date: {
    name: 'Date',
    in: 'header',
    schema: { type: 'string' },
    description: 'With an access-key signature: the signed time (`EEE, dd MMM yyyy HH:mm:ss z`, within 15 minutes of the server).',
  },
};

/** The query string of a query API's list path (libs/query parseQueryString). */
export const QUERY_PARAMETERS: Parameter[] = [
  {
    name: 'q',
    in: 'query',
    style: 'form',
    explode: true,
    schema: { type: 'array', items: { type: 'string' } },
    description:
      'A condition `<field><op><value>`, repeatable (ANDed). Operators, matched in this order: `!=`, `>=`, `<=`, `!?=` (not in), ' +
      '`!~=` (not like), `~=` (like, `%` and `_` wildcards), `?=` (in, comma-separated values), `=`, `>`, `<`, `is null`, `not null`.',
  },
  {
    name: 'limit',
    in: 'query',
    schema: { type: 'integer', minimum: 0, default: DEFAULT_LIMIT },
    description: 'At most this many inventories.',
  },
  { name: 'start', in: 'query', schema: { type: 'integer', minimum: 0, default: 0 }, description: 'Skip this many (the offset).' },
  { name: 'count', in: 'query', schema: { type: 'boolean' }, description: 'Reply `total` only, no inventories.' },
  { name: 'replyWithCount', in: 'query', schema: { type: 'boolean' }, description: 'Add `total` (the count before limit and start).' },
  {
    name: 'sort',
    in: 'query',
    schema: { type: 'string' },
    description: '`+field` (ascending, also a bare `field`) or `-field` (descending).',
  },
  { name: 'fields', in: 'query', schema: { type: 'string' }, description: 'Comma-separated fields: the inventories carry these only.' },
];

/** The 202 of an async API: where to poll its job (ZStack's body; no HTTP Location header). */
export const JOB_ACCEPTED_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['location'],
  properties: {
    location: {
      type: 'string',
      format: 'uri',
      description: `The job to poll: \`<PUBLIC_URL or the request's base>${ZSTACK_PREFIX}/api-jobs/<job uuid>\``,
    },
    apiTimeout: { type: 'integer', description: 'Milliseconds the job may run before it polls as SYS.1001' },
  },
};

/** The replies every ZStack operation may reference. */
export const ZSTACK_RESPONSES: Record<string, Response> = {
  JobAccepted: {
    description: 'The job runs on: poll its `location` (202 `{}` while it runs, then 200 with the result or 503 with the error)',
    content: { 'application/json': { schema: ref('schemas', 'JobAccepted') } },
    links: {
      poll: {
        operationId: JOB_POLL_OPERATION,
        parameters: { uuid: '$request.header.X-Job-UUID' },
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
  TooManyRequests: TOO_MANY_REQUESTS,
  RequestTimeTooSkewed: plainText("A signed request's Date is missing, malformed or more than 15 minutes off", 'requestTimeTooSkewed'),
  BodyTooLarge: plainText(
    "The body is larger than the route accepts (BODY_LIMIT_BYTES, or the API's own limit)",
    'the request body is too large',
  ),
};

/** `GET /zstack/v1/api-jobs/{uuid}`: the job of an async API, for the caller that started it (its session or key, or its account, or the admin). */
export function jobPoll(): Operation {
  return {
    operationId: JOB_POLL_OPERATION,
    summary: 'Poll a job',
    description:
      "The outcome of an async API's job, for the credential that started it, another of its account, or the admin; " +
      'anyone else gets the answer of an unknown job (404).',
    tags: ['jobs'],
    parameters: [
      { name: 'uuid', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9a-f]{32}$' }, description: "The job's uuid" },
      ref('parameters', 'XJsonSchema'),
      ref('parameters', 'Date'),
    ],
    responses: {
      200: {
        description: "Done: the API's result (as its own 200 reply)",
        content: { 'application/json': { schema: { type: 'object' } } },
      },
      202: { description: 'Still running', content: { 'application/json': { schema: { type: 'object', maxProperties: 0 }, example: {} } } },
      404: plainText("Unknown, expired (after JOB_TTL_SEC) or not the caller's", 'the job has been expired'),
      503: { ...ZSTACK_FAILURE, description: 'The job failed: its error' },
    },
    security: securityOf('session', 'zstack'),
  };
}
