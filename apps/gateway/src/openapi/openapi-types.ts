import type { JsonSchema } from './schema-of';

/** The parts of an OpenAPI 3.1 document the generators write (loosely typed: the validator in the unit spec is the check). */
export type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'patch';

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  description?: string;
  schema: JsonSchema;
  style?: string;
  explode?: boolean;
}

export type Reference = { $ref: string };

export interface Response {
  description: string;
  headers?: Record<string, unknown>;
  content?: Record<string, { schema: JsonSchema; example?: unknown }>;
  links?: Record<string, unknown>;
}

export interface Operation {
  operationId: string;
  summary: string;
  description: string;
  tags: string[];
  parameters?: Array<Parameter | Reference>;
  requestBody?: { required: boolean; description?: string; content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, Response | Reference>;
  /** `[]`: no credential; else one of the listed schemes. */
  security: Array<Record<string, string[]>>;
  [extension: `x-${string}`]: unknown;
}

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  servers: Array<{ url: string; description?: string }>;
  tags: Array<{ name: string; description: string }>;
  paths: Record<string, Partial<Record<HttpMethod, Operation>>>;
  components: {
    schemas: Record<string, JsonSchema>;
    responses?: Record<string, Response>;
    parameters?: Record<string, Parameter>;
    securitySchemes: Record<string, unknown>;
  };
}

/** The `{name}`s of a path template, in order. */
export const pathParamsOf = (path: string): string[] => [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);

/** A reference to a component of the same document. */
export const ref = (kind: 'schemas' | 'responses' | 'parameters', name: string): Reference => ({ $ref: `#/components/${kind}/${name}` });
