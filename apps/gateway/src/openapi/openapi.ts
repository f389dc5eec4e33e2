import type { OpenApiDocument } from './openapi-types';
import { REST_PREFIX, restDocument } from './rest-document';
import { ZSTACK_PREFIX, zstackDocument } from './zstack-document';

export type { OpenApiDocument } from './openapi-types';

/** Where the gateway serves each document (openapi-routes.ts) and the page that shows them. */
export const REST_OPENAPI_PATH = `${REST_PREFIX}/openapi.json`;
export const ZSTACK_OPENAPI_PATH = `${ZSTACK_PREFIX}/openapi.json`;

export interface OpenApiDocuments {
  /** Our own JSON API under `/api/v1`. */
  rest: OpenApiDocument;
  /** The ZStack API under `/zstack/v1`. */
  zstack: OpenApiDocument;
}

/**
 * Both OpenAPI 3.1 documents, from the API registry alone (no I/O): the request classes that
 * validate every request are what the documents describe, so they cannot drift from the routes.
 * The gateway generates them once, at start.
 */
export function openApiDocuments(): OpenApiDocuments {
  return { rest: restDocument(), zstack: zstackDocument() };
}
