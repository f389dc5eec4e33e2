import { RestError, apiParamType, type ApiEntry, type ApiParamType } from '@cp/contracts';

type Json = Record<string, unknown>;

/**
 * ZStack's REST → message mapping (RestServer): the body key for POST/PUT, top-level
 * systemTags/userTags, path variables, and query-string parameters for GET/DELETE; plus its
 * TypeVerifier, which answers 400 at once for a value of the wrong JSON type. Every other rule is
 * the service's (SYS.1007 through the job).
 */
export function payloadFromBody(api: ApiEntry, body: unknown, pathParams: Record<string, string>): Json {
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

/** The API of a shared PUT path whose action name is a key of the body. */
export function pickByBodyKey(candidates: readonly ApiEntry[], body: unknown, url: string): ApiEntry {
  if (candidates.length === 1) return candidates[0];
  const wrapper = body && typeof body === 'object' ? (body as Json) : {};
  const api = candidates.find((c) => c.bodyKey !== undefined && c.bodyKey in wrapper);
  if (!api) throw new RestError(400, `the body doesn't contain action mapping to the URL[${url}]`);
  return api;
}

/** GET/DELETE: repeated keys and `name.0=` make lists, `field.key=value` makes a map entry. */
export function payloadFromQuery(api: ApiEntry, query: Record<string, string | string[] | undefined>, pathParams: Record<string, string>): Json {
  const payload: Json = {};
  const indexed: Record<string, Array<[number, string]>> = {};
  for (const [rawKey, rawValue] of Object.entries(query)) {
    if (rawValue === undefined) continue;
    const values = Array.isArray(rawValue) ? rawValue : [rawValue];
    const dot = rawKey.indexOf('.');
    if (dot > 0) {
      const name = rawKey.slice(0, dot);
      const key = rawKey.slice(dot + 1);
      if (/^\d+$/.test(key)) (indexed[name] ??= []).push([Number(key), values[0]]);
      else ((payload[name] ??= {}) as Json)[key] = values[0];
      continue;
    }
    const type = apiParamType(api.request, rawKey);
    payload[rawKey] = type === 'list' ? values : fromQueryText(rawKey, values[0], type);
  }
  for (const [name, entries] of Object.entries(indexed)) payload[name] = entries.sort((a, b) => a[0] - b[0]).map(([, v]) => v);
  return { ...payload, ...pathParams };
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

function verifyTypes(api: ApiEntry, payload: Json): void {
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
