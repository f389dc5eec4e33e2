import { ERROR_CODES, type ErrorCodeName } from '@cp/contracts';
import type { Response } from './openapi-types';
import type { JsonSchema } from './schema-of';

const CODES = Object.keys(ERROR_CODES) as ErrorCodeName[];

/**
 * `{"error": {"code", "description", "details"}}`: every API failure on both wires (503 on the ZStack
 * routes, the code's HTTP status on `/api/v1`). The codes are libs/contracts' ERROR_CODES; ZStack
 * clients must tolerate extra keys (ZStack itself adds `cost`, `elaboration`...), so none are refused.
 */
export const ERROR_ENVELOPE_SCHEMA: JsonSchema = {
  type: 'object',
  description: 'An API failure. Codes: ' + CODES.map((c) => `${c} (${ERROR_CODES[c].description})`).join('; ') + '.',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'description', 'details'],
      properties: {
        code: { type: 'string', enum: CODES, description: "ZStack's error code" },
        description: { type: 'string', description: "The code's fixed text" },
        details: { type: 'string', maxLength: 4096, description: 'What went wrong, for a person (never a secret, never a stack trace)' },
      },
    },
  },
};

export const ERROR_ENVELOPE_REF = { $ref: '#/components/schemas/ErrorEnvelope' };

const example = (code: ErrorCodeName, details: string) => ({ error: { code, description: ERROR_CODES[code].description, details } });

/** The ZStack wire's failed API: 503 with the envelope, whatever the code. */
export const ZSTACK_FAILURE: Response = {
  description: "The API failed (ZStack answers every API failure with 503): the error envelope with ZStack's code",
  content: { 'application/json': { schema: ERROR_ENVELOPE_REF, example: example('ID.1001', 'Session expired') } },
};

/** A client over a rate or concurrency limit (docs/limits.md): 429, Retry-After, SYS.1429, on both wires. */
export const TOO_MANY_REQUESTS: Response = {
  description: 'SYS.1429: the client (its session, access key or address) is over a rate or concurrency limit of the gateway; retry after `Retry-After` seconds',
  headers: { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer', minimum: 1 } } },
  content: { 'application/json': { schema: ERROR_ENVELOPE_REF, example: example('SYS.1429', 'too many requests from this session: at most 100 a second (bursts of 200); retry after 1 s') } },
};

/**
 * The `/api/v1` error responses, one per HTTP status of the ERROR_CODES table (`Error401`...), each
 * naming the codes answered with it; plus 413 (a body above the route's limit, SYS.1007).
 */
export function restErrorResponses(): Record<string, Response> {
  const byStatus = new Map<number, ErrorCodeName[]>();
  for (const code of CODES) byStatus.set(ERROR_CODES[code].httpStatus, [...(byStatus.get(ERROR_CODES[code].httpStatus) ?? []), code]);
  const responses: Record<string, Response> = {};
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    responses[`Error${status}`] = {
      description: codes.map((c) => `${c}: ${ERROR_CODES[c].description}`).join('; '),
      content: { 'application/json': { schema: ERROR_ENVELOPE_REF, example: example(codes[0], ERROR_CODES[codes[0]].description) } },
    };
  }
  responses.Error429 = TOO_MANY_REQUESTS;
  responses.Error413 = {
    description: 'SYS.1007: the request body is larger than the route accepts',
    content: { 'application/json': { schema: ERROR_ENVELOPE_REF, example: example('SYS.1007', 'the request body is too large') } },
  };
  return responses;
}

/** The HTTP statuses of the ERROR_CODES table, ascending. */
export const REST_ERROR_STATUSES: readonly number[] = [...new Set(CODES.map((c) => ERROR_CODES[c].httpStatus))].sort((a, b) => a - b);
