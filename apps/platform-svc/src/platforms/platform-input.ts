import { isIP } from 'node:net';
import {
  PLATFORM_HEALTH_STATUSES, PLATFORM_PRODUCT_TYPES, PLATFORM_SCOPES, UUID_HEX32, invalidArgument,
  type PlatformFeatures, type PlatformHealthStatus, type PlatformProductType, type PlatformScope, type PlatformStatus,
} from '@cp/contracts';
import type { CreatePlatformInput, UpdatePlatformInput } from '@cp/domain/platform';

/**
 * The Platform API's request bodies, checked field by field (control-plane-api.md): a wrong field is
 * SYS.1007 naming it and the rule; an unknown field is refused (a typo in a security-relevant field
 * must not pass silently). Pure: no I/O, nothing about who calls.
 */

export interface TestConnectionInput {
  productType: PlatformProductType;
  endpoint: string;
  accessKey: string;
  secretKey: string;
  verifyTls: boolean;
}

export interface ListPlatformsInput {
  name?: string;
  productType?: PlatformProductType;
  status?: PlatformStatus;
  healthStatus?: PlatformHealthStatus;
  scope?: PlatformScope;
  regionUuid?: string;
  limit: number;
  offset: number;
}

const DEFAULT_FEATURES: PlatformFeatures = { syncResource: true, monitoring: true, logCollection: false };
const FEATURE_NAMES = Object.keys(DEFAULT_FEATURES) as (keyof PlatformFeatures)[];
/** RFC 1123 host names: labels of letters, digits and '-', dots between, 253 characters at most. */
const HOST_NAME = /^(?=.{1,253}$)([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

type Body = Record<string, unknown>;

export function asBody(value: unknown, what = 'the body'): Body {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidArgument(`${what} must be a JSON object`);
  return value as Body;
}

function rejectUnknown(body: Body, known: readonly string[], where = ''): void {
  for (const key of Object.keys(body)) {
    if (!known.includes(key)) {
      throw invalidArgument(`unknown field[${where}${key.slice(0, 100)}]; the known fields are [${known.join(', ')}]`);
    }
  }
}

function text(body: Body, field: string, options: { required?: boolean; max?: number; min?: number; trim?: boolean } = {}): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) {
    if (options.required) throw invalidArgument(`field[${field}] is mandatory`);
    return undefined;
  }
  if (typeof value !== 'string') throw invalidArgument(`field[${field}] must be a string`);
  const v = options.trim === false ? value : value.trim();
  if (v.length < (options.min ?? (options.required ? 1 : 0))) throw invalidArgument(`field[${field}] must not be empty`);
  if (options.max !== undefined && v.length > options.max) throw invalidArgument(`field[${field}] must be at most ${options.max} characters`);
  return v;
}

function oneOf<T extends string>(body: Body, field: string, values: readonly T[], required = false): T | undefined {
  const v = text(body, field, { required });
  if (v === undefined) return undefined;
  if (!values.includes(v as T)) throw invalidArgument(`field[${field}] must be one of [${values.join(', ')}], but ${JSON.stringify(v.slice(0, 100))} found`);
  return v as T;
}

function bool(body: Body, field: string, where = ''): boolean | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw invalidArgument(`field[${where}${field}] must be a boolean`);
  return v;
}

export function hostOf(body: Body, field = 'hostIp', required = true): string | undefined {
  const v = text(body, field, { required, max: 253 });
  if (v === undefined) return undefined;
  const bare = v.startsWith('[') && v.endsWith(']') ? v.slice(1, -1) : v;
  if (isIP(bare) === 0 && !HOST_NAME.test(v)) throw invalidArgument(`field[${field}] must be an IPv4 or IPv6 address or a DNS name`);
  return bare;
}

function port(body: Body, field = 'hostPort', required = true): number | undefined {
  const v = body[field];
  if (v === undefined || v === null) {
    if (required) throw invalidArgument(`field[${field}] is mandatory`);
    return undefined;
  }
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 65535) {
    throw invalidArgument(`field[${field}] must be an integer in 1..65535`);
  }
  return v;
}

function features(body: Body): Partial<PlatformFeatures> | undefined {
  if (body.features === undefined || body.features === null) return undefined;
  const f = asBody(body.features, 'field[features]');
  rejectUnknown(f, FEATURE_NAMES, 'features.');
  const out: Partial<PlatformFeatures> = {};
  for (const name of FEATURE_NAMES) {
    const v = bool(f, name, 'features.');
    if (v !== undefined) out[name] = v;
  }
  return out;
}

/** `scope` and `regionUuid` together: a region needs a 32-hex regionUuid, global scope has none (""). */
function scopeOf(body: Body, current?: { scope: PlatformScope; regionUuid: string }): { scope: PlatformScope; regionUuid: string } | undefined {
  const scope = oneOf(body, 'scope', PLATFORM_SCOPES);
  const regionUuid = text(body, 'regionUuid');
  if (scope === undefined && regionUuid === undefined) return undefined;
  const nextScope = scope ?? current?.scope ?? 'global';
  const nextRegion = regionUuid ?? (scope === undefined ? current?.regionUuid : undefined) ?? '';
  if (nextScope === 'region' && !UUID_HEX32.test(nextRegion)) {
    throw invalidArgument('field[regionUuid] must be a uuid of 32 lowercase hex digits when scope is region');
  }
  if (nextScope === 'global' && nextRegion !== '') throw invalidArgument('field[regionUuid] must be empty when scope is global');
  return { scope: nextScope, regionUuid: nextRegion };
}

const CREATE_FIELDS = ['name', 'productType', 'hostIp', 'hostPort', 'username', 'password', 'scope', 'regionUuid', 'features', 'useTls'];

export function parseCreatePlatform(value: unknown): CreatePlatformInput {
  const body = asBody(value);
  rejectUnknown(body, CREATE_FIELDS);
  const productType = oneOf(body, 'productType', PLATFORM_PRODUCT_TYPES, true)!;
  const scope = scopeOf(body) ?? { scope: 'global' as const, regionUuid: '' };
  return {
    name: text(body, 'name', { required: true, max: 255 })!,
    productType,
    hostIp: hostOf(body)!,
    hostPort: port(body)!,
    username: text(body, 'username', { required: true, max: 255 })!,
    password: text(body, 'password', { required: true, max: 2048, trim: false })!,
    ...scope,
    features: { ...DEFAULT_FEATURES, ...features(body) },
    useTls: bool(body, 'useTls') ?? productType !== 'zstack',
  };
}

const UPDATE_FIELDS = ['name', 'hostIp', 'hostPort', 'useTls', 'features', 'scope', 'regionUuid', 'username', 'password'];

export function parseUpdatePlatform(value: unknown, current: { scope: PlatformScope; regionUuid: string }): UpdatePlatformInput {
  const body = asBody(value);
  rejectUnknown(body, UPDATE_FIELDS);
  const username = text(body, 'username', { max: 255 });
  const password = text(body, 'password', { max: 2048, trim: false });
  if ((username === undefined) !== (password === undefined)) {
    throw invalidArgument('fields[username, password] go together: a new credential needs both');
  }
  const out: UpdatePlatformInput = {
    name: text(body, 'name', { max: 255, min: 1 }),
    hostIp: hostOf(body, 'hostIp', false),
    hostPort: port(body, 'hostPort', false),
    useTls: bool(body, 'useTls'),
    features: features(body),
    ...scopeOf(body, current),
    credentials: username !== undefined ? { username, password: password! } : undefined,
  };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)) as UpdatePlatformInput;
}

const TEST_FIELDS = ['productType', 'endpoint', 'accessKey', 'secretKey', 'verifyTls'];

export function parseTestConnection(value: unknown): TestConnectionInput {
  const body = asBody(value);
  rejectUnknown(body, TEST_FIELDS);
  return {
    productType: oneOf(body, 'productType', PLATFORM_PRODUCT_TYPES, true)!,
    endpoint: text(body, 'endpoint', { required: true, max: 2048 })!,
    accessKey: text(body, 'accessKey', { required: true, max: 1024 })!,
    secretKey: text(body, 'secretKey', { required: true, max: 4096, trim: false })!,
    verifyTls: bool(body, 'verifyTls') ?? true,
  };
}

const LIST_FIELDS = ['name', 'productType', 'status', 'healthStatus', 'scope', 'regionUuid', 'limit', 'offset'];

function count(body: Body, field: string, fallback: number, max: number): number {
  const v = body[field];
  if (v === undefined) return fallback;
  const n = typeof v === 'string' && /^\d{1,9}$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n > max) throw invalidArgument(`query parameter[${field}] must be an integer in 0..${max}`);
  return n;
}

/** The list filters come from the query string: strings. */
export function parseListPlatforms(value: unknown): ListPlatformsInput {
  const q = asBody(value ?? {});
  rejectUnknown(q, LIST_FIELDS);
  const limit = count(q, 'limit', 100, 1000);
  if (limit === 0) throw invalidArgument('query parameter[limit] must be an integer in 1..1000');
  return Object.fromEntries(Object.entries({
    name: text(q, 'name'),
    productType: oneOf(q, 'productType', PLATFORM_PRODUCT_TYPES),
    status: oneOf(q, 'status', ['connected', 'disconnected'] as const),
    healthStatus: oneOf(q, 'healthStatus', PLATFORM_HEALTH_STATUSES),
    scope: oneOf(q, 'scope', PLATFORM_SCOPES),
    regionUuid: text(q, 'regionUuid'),
    limit,
    offset: count(q, 'offset', 0, 1_000_000_000),
  }).filter(([, v]) => v !== undefined)) as unknown as ListPlatformsInput;
}
