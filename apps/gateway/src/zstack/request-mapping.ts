import { ZSTACK_APIS, RestError, apiParamType, type ZStackApiEntry, type ApiParamType } from '@cp/contracts';

type Json = Record<string, unknown>;

/**
 * ZStack's REST → message mapping (RestServer): the body key for POST/PUT, top-level
 * systemTags/userTags, path variables, and query-string parameters for GET/DELETE; plus its
 * TypeVerifier, which answers 400 at once for a value of the wrong JSON type. Every other rule is
 * the service's (SYS.1007 through the job).
 */
export function payloadFromBody(api: ZStackApiEntry, body: unknown, pathParams: Record<string, string>): Json {
  const wrapper = (body ?? {}) as Json;
  const inner = api.bodyKey ? wrapper[api.bodyKey] : undefined;
  if (inner !== undefined && inner !== null && (typeof inner !== 'object' || Array.isArray(inner))) {
    throw new RestError(400, `the value of '${api.bodyKey}' in the body must be a JSON object`);
  }
  const payload: Json = { ...((inner as Json | undefined) ?? {}) };
  for (const tags of ['systemTags', 'userTags']) if (wrapper[tags] !== undefined) payload[tags] = wrapper[tags];
  verifyTypes(api, payload);
  return { ...payload, ...pathParams };
}

/**
 * ZStack's paths served by more than one API, whatever the method (`{uuid}` and `{x}` count as one):
 * RestServer's "non-unique" paths, where a PUT is dispatched by the action key of its body.
 */
const SHARED_PATHS: ReadonlySet<string> = (() => {
  const apisByPath = new Map<string, number>();
  for (const api of ZSTACK_APIS) {
    for (const path of new Set(api.paths.map(normalisedPath))) apisByPath.set(path, (apisByPath.get(path) ?? 0) + 1);
  }
  return new Set([...apisByPath].filter(([, count]) => count > 1).map(([path]) => path));
})();

function normalisedPath(path: string): string {
  return path.replace(/\{\w+\}/g, '{}');
}

/**
 * The API a request on one route (method + path) is for. As ZStack's RestServer: on a path served by
 * one API only, that API (a missing body key then just means a message without fields); on a shared
 * path, POST/GET/DELETE by method, and PUT by the action name that is a key of the body, or 400
 * `the body doesn't contain action mapping to the URL[...]` — also when only one API takes PUT there
 * (`/accounts/{uuid}`: a body without `updateAccount` is no UpdateAccount).
 */
export function pickByBodyKey(candidates: readonly ZStackApiEntry[], body: unknown, url: string): ZStackApiEntry {
  const [only] = candidates;
  const dispatchedByKey = candidates.length > 1 || (only.method === 'PUT' && only.paths.some((p) => SHARED_PATHS.has(normalisedPath(p))));
  if (!dispatchedByKey) return only;
  const wrapper = isJsonObject(body) ? body : {};
  const api = candidates.find((c) => c.bodyKey !== undefined && Object.hasOwn(wrapper, c.bodyKey));
  if (!api) throw new RestError(400, `the body doesn't contain action mapping to the URL[${decodedPath(url)}]`);
  return api;
}

const isJsonObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** ZStack quotes the decoded request URI (no query string). */
function decodedPath(url: string): string {
  const path = url.split('?')[0];
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/**
 * GET/DELETE: repeated keys and `name.0=` make lists, `field.key=value` makes a map entry. The
 * parameter names are the client's: they are collected in Maps and become own properties only
 * (`__proto__.x=`, `constructor.prototype=` are plain, ignored keys, never a path into a prototype).
 * A name given several ways keeps its list (`name.0=`) over its map (`name.key=`) over its value.
 */
export function payloadFromQuery(api: ZStackApiEntry, query: Record<string, string | string[] | undefined>, pathParams: Record<string, string>): Json {
  const values = new Map<string, unknown>();
  const maps = new Map<string, Array<[string, string]>>();
  const indexed = new Map<string, Array<[number, string]>>();
  const entriesOf = <T>(by: Map<string, T[]>, name: string): T[] => by.get(name) ?? by.set(name, []).get(name)!;
  for (const [rawKey, rawValue] of Object.entries(query)) {
    if (rawValue === undefined) continue;
    const given = Array.isArray(rawValue) ? rawValue : [rawValue];
    const dot = rawKey.indexOf('.');
    if (dot > 0) {
      const name = rawKey.slice(0, dot);
      const key = rawKey.slice(dot + 1);
      if (/^\d+$/.test(key)) entriesOf(indexed, name).push([Number(key), given[0]]);
      else entriesOf(maps, name).push([key, given[0]]);
      continue;
    }
    const type = apiParamType(api.request, rawKey);
    values.set(rawKey, type === 'list' ? given : fromQueryText(rawKey, given[0], type));
  }
  for (const [name, entries] of maps) values.set(name, Object.fromEntries(entries));
  for (const [name, entries] of indexed) values.set(name, entries.sort((a, b) => a[0] - b[0]).map(([, v]) => v));
  return Object.fromEntries([...values, ...Object.entries(pathParams)]);
}

function fromQueryText(field: string, text: string, type: ApiParamType | undefined): unknown {
  if (type === 'int') {
    if (!/^-?\d+$/.test(text.trim())) throw typeError(field, 'an integer', text);
    return Number(text);
  }
  if (type === 'boolean') {
    const lower = text.trim().toLowerCase();
    if (lower !== 'true' && lower !== 'false') throw typeError(field, 'a boolean (true or false)', text);
    return lower === 'true';
  }
  return text;
}

function verifyTypes(api: ZStackApiEntry, payload: Json): void {
  for (const [field, value] of Object.entries(payload)) {
    if (value === null || value === undefined) continue;
    const type = apiParamType(api.request, field);
    if (type === 'int' && !(typeof value === 'number' && Number.isInteger(value))) throw typeError(field, 'an integer', value);
    if (type === 'boolean') {
      if (typeof value === 'string' && /^(true|false)$/i.test(value)) payload[field] = value.toLowerCase() === 'true';
      else if (typeof value !== 'boolean') throw typeError(field, 'a boolean (true or false)', value);
    }
    if (type === 'string') {
      if (typeof value === 'number' || typeof value === 'boolean') payload[field] = String(value);
      else if (typeof value !== 'string') throw typeError(field, 'a string', value);
    }
    if (type === 'list' && !Array.isArray(value)) throw typeError(field, 'a list', value);
    if (type === 'map' && (typeof value !== 'object' || Array.isArray(value))) throw typeError(field, 'a map', value);
  }
}

/** Names the JSON type found, never the value: the field may hold a password. */
function typeError(field: string, expected: string, value: unknown): RestError {
  const found = Array.isArray(value) ? 'a list' : value === null ? 'null' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
  return new RestError(400, `Invalid value for field[${field}]: it must be ${expected}, but ${found} was found`);
}

/** How deep a request body may nest objects and arrays: ZStack's bodies nest a few levels. */
export const MAX_JSON_DEPTH = 64;

/**
 * JSON.parse behind a linear scan that refuses nesting deeper than `maxDepth` before anything
 * recursive (JSON.stringify on the bus, class-transformer, deep equality) can meet the body and
 * overflow the stack. Brackets inside strings are text, not nesting. Throws a SyntaxError either way.
 */
export function parseJsonBody(text: string, maxDepth = MAX_JSON_DEPTH): unknown {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      i = stringEnd(text, i);
      if (i < 0) break; // unterminated: JSON.parse says so
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > maxDepth) throw new SyntaxError(`the JSON nests deeper than ${maxDepth} levels at position ${i}`);
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) {
      depth--;
    }
  }
  return JSON.parse(text);
}

/** The index of the quote closing the string opened at `start` (one not escaped by an odd run of backslashes), or -1. */
function stringEnd(text: string, start: number): number {
  for (let end = text.indexOf('"', start + 1); end >= 0; end = text.indexOf('"', end + 1)) {
    let backslashes = 0;
    while (text.charCodeAt(end - 1 - backslashes) === 0x5c /* \ */) backslashes++;
    if (backslashes % 2 === 0) return end;
  }
  return -1;
}
