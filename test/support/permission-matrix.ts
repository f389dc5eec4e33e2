import { createHash, createHmac } from 'node:crypto';
import {
  ADMIN_ACCOUNT_UUID, REST_APIS, ZSTACK_APIS, apiParams, httpStatusOf, queryParamsOf,
  type ApiParamSpec, type RestApiEntry, type ZStackApiEntry,
} from '@cp/contracts';
import { COMMON_PARAMS_FOR_TESTS } from './audit-fixtures';

/**
 * The permission matrix's model, derived from the API registry (libs/contracts/src/registry): which
 * resource an API acts on and how (from its path, method and kind), who may do that (the ownership
 * rules of docs/decisions.md, one line per kind of resource, not per API), and what a refused caller
 * gets back (ZStack's codes from zstack-wire.md §1.3, §6 and ERROR_CODES). The e2e file
 * test/permission-matrix.e2e.spec.ts runs every HTTP API of the registry for every caller below.
 */

export type HttpApi = ZStackApiEntry | RestApiEntry;
export const HTTP_APIS: readonly HttpApi[] = [...ZSTACK_APIS, ...REST_APIS];

/**
 * The callers: four with a valid credential, four without one. `expired` is a session whose expiry
 * passed (the code base's "expired": its stored `expiredDate` is in the past); `loggedOut` one that
 * LogOut ended (no longer in the store: what ZStack calls a wrong session id). identity-svc answers
 * both ID.1001 `Session expired` (sessions/authenticator.ts), as ZStack does. `disabledKey` signs
 * with an access key whose state is Disabled (ID.1001 `access key is disabled`).
 */
export const CALLERS = ['admin', 'owner', 'other', 'vid', 'none', 'expired', 'loggedOut', 'disabledKey'] as const;
export type CallerName = (typeof CALLERS)[number];
export const VALID_CALLERS: readonly CallerName[] = ['admin', 'owner', 'other', 'vid'];

export type Credential =
  | { kind: 'none' }
  | { kind: 'session'; session: string }
  | { kind: 'key'; id: string; secret: string };

/**
 * Who a valid caller is: an account (the admin, the owner, the other), or an IAM2 virtual ID acting
 * within the admin account (`userUuid` is the virtual ID) that owns nothing but itself.
 */
export interface Principal {
  accountUuid: string;
  userUuid: string;
}

export type ResourceKind = 'account' | 'session' | 'accesskey' | 'vid' | 'vidAttribute' | 'template' | 'platform' | 'audit';
export type Op = 'create' | 'read' | 'update' | 'delete';

/** One resource an API call targets: its uuid, the principal that owns it, and what a call on it needs. */
export interface Target {
  kind: ResourceKind;
  label: string;
  uuid: string;
  /** The account (or user) that owns it: an account owns itself, its sessions and keys; the admin the rest. */
  owner: string;
  /** Login APIs: the name and password of the account or virtual ID. */
  name?: string;
  password?: string;
  /** CreateAccessKey: the account the key is for. */
  accountUuid?: string;
  /** RemoveAttributesFromIAM2VirtualID: an attribute of the virtual ID. */
  attributeUuid?: string;
  /** ChangeXState: the state kept (the call asks for the state the target has). */
  state?: 'Enabled' | 'Disabled';
}

export const pathOf = (api: HttpApi): string => (api.wire === 'zstack' ? api.paths[0] : api.path);
const prefixOf = (api: HttpApi): string => (api.wire === 'zstack' ? '/zstack/v1' : '/api/v1');

/** The kind of resource an API acts on, read from its path (and, for a create, the field naming it). */
export function kindOf(api: HttpApi): ResourceKind {
  const path = pathOf(api);
  if (path.startsWith('/audit/')) return 'audit';
  if (path.startsWith('/platforms')) return 'platform';
  if (path.startsWith('/baremetal/preconfigurations')) return 'template';
  if (path.startsWith('/iam2/virtual-ids/attributes')) return 'vidAttribute';
  if (path.startsWith('/iam2/virtual-ids')) return 'vid';
  if (path.startsWith('/accesskeys')) return 'accesskey';
  if (path.includes('/sessions/')) return 'session';
  return 'account';
}

/** What the call does to it, from the registry's kind and method: queries read, DELETE deletes, a POST without a resource in its path creates. */
export function opOf(api: HttpApi): Op {
  if (api.kind === 'query') return 'read';
  if (api.method === 'DELETE') return 'delete';
  if (api.method === 'POST' && !/\{\w+\}/.test(pathOf(api))) return 'create';
  return 'update';
}

type Who = 'anyone' | 'owner' | 'admin';

/**
 * Who may do what, per kind of resource (docs/decisions.md: "Admin", "IAM2 virtual IDs" (writes are
 * the admin's, a virtual ID reads only itself), "Access keys" (the admin any key, an account its own),
 * "Baremetal ... Permissions" (writes the admin's, reads everyone's), "Federation platforms" (admin
 * only, reads included), "Audit ... Ownership"; zstack-wire.md §3.2: CreateAccount and DeleteAccount
 * are the admin's, UpdateAccount the account's own). Every HTTP API is `access: 'session'` or `'none'`
 * in the registry: ZStack's admin-only APIs are declared `session` and refused by their deciders, in
 * ZStack's order (decisions.md, "One registry, one pipeline"), so this table says which.
 */
const POLICY: Record<ResourceKind, Partial<Record<Op, Who>>> = {
  account: { create: 'admin', read: 'owner', update: 'owner', delete: 'admin' },
  session: { read: 'owner', update: 'owner', delete: 'owner' },
  accesskey: { create: 'owner', read: 'owner', update: 'owner', delete: 'owner' },
  vid: { create: 'admin', read: 'owner', update: 'admin', delete: 'admin' },
  vidAttribute: { create: 'admin', read: 'owner', update: 'admin', delete: 'admin' },
  template: { create: 'admin', read: 'anyone', update: 'admin', delete: 'admin' },
  platform: { create: 'admin', read: 'admin', update: 'admin', delete: 'admin' },
  audit: { read: 'owner' },
};

/**
 * ZStack's own codes where a refusal is not ID.1002 (zstack-wire.md §3.2, the interceptors of
 * UpdateAccount: SYS.1006 "... is a normal account, it cannot reset the password of another account";
 * DeleteAccount: SYS.1007 "Only admin can delete account.").
 */
const REFUSAL_CODE: Partial<Record<ResourceKind, Partial<Record<Op, string>>>> = {
  account: { update: 'SYS.1006', delete: 'SYS.1007' },
};

/** What a call should answer. */
export type Expected =
  | { outcome: 'allowed' }
  /** Answered, but the target is not in it: a listing filtered to what the caller may see. */
  | { outcome: 'hidden' }
  | { outcome: 'refused'; code: string; details?: RegExp }
  /** ZStack's REST layer refuses a request without `Authorization` before any API runs (zstack-wire.md §1.3). */
  | { outcome: 'refused'; status: 400; text: string };

const SESSION_ERROR: Record<'expired' | 'loggedOut' | 'disabledKey' | 'none', RegExp> = {
  expired: /^Session expired$/,
  loggedOut: /^Session expired$/,
  disabledKey: /^access key is disabled$/,
  none: /Authorization/,
};

/** Whether the principal owns the target: the admin owns everything; an account what it owns; a virtual ID nothing but itself. */
export const owns = (who: Principal, target: Target): boolean =>
  (who.accountUuid === ADMIN_ACCOUNT_UUID && who.userUuid === ADMIN_ACCOUNT_UUID) || who.userUuid === target.owner;

/**
 * The expected outcome of one cell, from the registry entry (`access`, and the kind, path and method
 * that say which resource it targets and how) and the policy of that resource's kind.
 */
export function expectedOutcome(api: HttpApi, caller: CallerName, principal: Principal | null, target: Target | null): Expected {
  if (api.access === 'none') return { outcome: 'allowed' };
  if (principal === null) {
    if (caller === 'none' && api.wire === 'zstack') return { outcome: 'refused', status: 400, text: "missing header 'Authorization'" };
    return { outcome: 'refused', code: 'ID.1001', details: SESSION_ERROR[caller as keyof typeof SESSION_ERROR] };
  }
  const isAdmin = principal.accountUuid === ADMIN_ACCOUNT_UUID && principal.userUuid === ADMIN_ACCOUNT_UUID;
  if (api.access === 'admin') return isAdmin ? { outcome: 'allowed' } : { outcome: 'refused', code: 'ID.1002', details: /admin only/ };
  const kind = kindOf(api);
  const op = opOf(api);
  const who = POLICY[kind][op];
  if (who === undefined) throw new Error(`no policy for ${op} on ${kind} (${api.name}): add it to POLICY`);
  if (who === 'anyone' || isAdmin || (who === 'owner' && target !== null && owns(principal, target))) return { outcome: 'allowed' };
  const code = REFUSAL_CODE[kind]?.[op];
  if (who === 'admin') return code ? { outcome: 'refused', code } : { outcome: 'refused', code: 'ID.1002', details: /admin only/ };
  // The owner's: a listing leaves the resource out; a read naming it answers as for an unknown one; a write refuses.
  if (op === 'read') return namesTargetInPath(api) ? { outcome: 'refused', code: 'SYS.1003' } : { outcome: 'hidden' };
  return { outcome: 'refused', code: code ?? 'ID.1002' };
}

/** A REST read of one resource by its path (`/audit/resources/{uuid}`); ZStack's queries are listings (`q=uuid=`). */
const namesTargetInPath = (api: HttpApi): boolean => api.wire === 'rest' && /\{\w+\}/.test(api.path);

// --- Requests ----------------------------------------------------------------------------------------

export const sha512 = (text: string) => createHash('sha512').update(text).digest('hex');
export const FIXTURE_PASSWORD = sha512('matrix-pw');

/** What a call needs beyond the target: a unique name per call, the closed port the platform APIs talk to. */
export interface RequestContext {
  unique: string;
  closedPort: number;
}

export interface MatrixRequest {
  method: string;
  path: string;
  body?: unknown;
}

/**
 * Values for the fields a call needs (required ones, and one field an update changes), by field name
 * and `@ApiParam` rule: the small fixture map. Everything else about a request comes from the registry.
 */
function valueFor(spec: ApiParamSpec, api: HttpApi, target: Target | null, ctx: RequestContext): unknown {
  const login = api.access === 'none';
  switch (spec.name) {
    case 'name': case 'accountName': case 'username':
      return login ? target?.name : `pm-${ctx.unique}`;
    case 'password': return login ? target?.password : FIXTURE_PASSWORD;
    case 'secretKey': return 'matrix-secret-1';
    case 'accessKey': return 'matrix-access-key';
    case 'accountUuid': return target?.accountUuid ?? target?.uuid;
    case 'resourceUuid': return target?.uuid;
    case 'attributeUuids': return [target?.attributeUuid];
    case 'attributes': return [{ name: 'pm', value: 'v' }];
    case 'stateEvent': return target?.state === 'Disabled' ? 'disable' : 'enable';
    case 'content': return COMMON_PARAMS_FOR_TESTS;
    case 'distribution': return 'centos-x86_64';
    case 'hostIp': return '127.0.0.1';
    case 'hostPort': return ctx.closedPort;
    case 'endpoint': return `127.0.0.1:${ctx.closedPort}`;
    case 'asOf': return new Date(Date.now() + 60_000).toISOString();
    case 'value': return 'v';
    case 'description': return `changed by ${ctx.unique}`;
    default: break;
  }
  if (spec.validValues) return spec.validValues[0];
  if (spec.type === 'map') return {};
  if (spec.type === 'object' && spec.shape) return fieldsOf(spec.shape, api, target, ctx, new Set());
  if (spec.type === 'int') return spec.numberRange?.[0] ?? 1;
  if (spec.type === 'boolean') return false;
  return 'pm';
}

function fieldsOf(request: new () => object, api: HttpApi, target: Target | null, ctx: RequestContext, skip: Set<string>): Record<string, unknown> {
  const specs = apiParams(request).filter((s) => !skip.has(s.name));
  const fields: Record<string, unknown> = {};
  for (const spec of specs.filter((s) => s.required)) fields[spec.name] = valueFor(spec, api, target, ctx);
  // An update that names nothing to change would change nothing: it changes the description (else the name).
  if (opOf(api) === 'update' && Object.keys(fields).length === 0) {
    const change = specs.find((s) => s.name === 'description') ?? specs.find((s) => s.name === 'name');
    if (change) fields[change.name] = valueFor(change, api, target, ctx);
  }
  if (login(api) && specs.some((s) => s.name === 'loginType')) fields.loginType = 'account';
  // A listing that filters by resource (the audit's `resourceUuid`) is asked about the target.
  if (opOf(api) === 'read' && target !== null && specs.some((s) => s.name === 'resourceUuid')) fields.resourceUuid = target.uuid;
  return fields;
}

const login = (api: HttpApi) => api.access === 'none' && api.kind === 'query' && api.method === 'PUT';

const encodePair = (k: string, v: unknown): string[] =>
  (Array.isArray(v) ? v.flatMap((e) => encodePair(k, e)) : [`${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`]);

/** The HTTP request of one cell: the path with the target's uuid, a ZStack query for it, the body under the registry's key. */
export function requestOf(api: HttpApi, target: Target | null, ctx: RequestContext): MatrixRequest {
  const template = pathOf(api);
  const pathParams = new Set([...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]));
  const path = prefixOf(api) + template.replace(/\{\w+\}/g, () => encodeURIComponent(target?.uuid ?? 'x'));
  if (api.wire === 'zstack' && api.query) return { method: api.method, path: `${path}?q=${encodeURIComponent(`uuid=${target?.uuid}`)}` };
  const fields = fieldsOf(api.request, api, target, ctx, pathParams);
  const bodyKey = api.bodyKey;
  if (api.wire === 'rest') {
    const inQuery = new Set(queryParamsOf(api));
    const query = Object.entries(fields).filter(([k]) => inQuery.has(k)).flatMap(([k, v]) => encodePair(k, v));
    const body = bodyKey === undefined ? undefined : (fields[bodyKey] ?? {});
    return { method: api.method, path: query.length ? `${path}?${query.join('&')}` : path, body };
  }
  if (api.method === 'GET' || api.method === 'DELETE') {
    const query = Object.entries(fields).flatMap(([k, v]) => encodePair(k, v));
    return { method: api.method, path: query.length ? `${path}?${query.join('&')}` : path };
  }
  return { method: api.method, path, body: { [bodyKey ?? 'params']: fields } };
}

// --- Credentials and answers --------------------------------------------------------------------------

/** The string a ZStack client signs: `METHOD\nDATE\n/v1<path>` (`/api/v1<path>` on our routes), no query string. */
export function signedHeaders(key: { id: string; secret: string }, method: string, url: string): Record<string, string> {
  const date = new Date().toUTCString();
  let path = url.split('?')[0];
  if (path.startsWith('/zstack/')) path = path.slice('/zstack'.length);
  const signature = createHmac('sha1', key.secret).update(`${method}\n${date}\n${decodeURIComponent(path)}`).digest('base64');
  return { Date: date, Authorization: `ZStack ${key.id}:${signature}` };
}

/** The credential's headers for a request on `url` (`Bearer` on `/api/v1` for sessions, as its clients send). */
export function authHeaders(credential: Credential, method: string, url: string): Record<string, string> {
  if (credential.kind === 'none') return {};
  if (credential.kind === 'key') return signedHeaders(credential, method, url);
  return { Authorization: url.startsWith('/api/v1') ? `Bearer ${credential.session}` : `OAuth ${credential.session}` };
}

export interface Answer {
  status: number;
  text: string;
  json: any;
}

export const errorOf = (answer: Answer): { code?: string; details?: string } => answer.json?.error ?? {};

/** Whether the target is in a listing's answer (ZStack `inventories`, an audit page's `events`, a platform list). */
export function mentions(answer: Answer, uuid: string): boolean {
  const json = answer.json ?? {};
  if (Array.isArray(json.inventories)) return json.inventories.some((i: { uuid?: string }) => i.uuid === uuid);
  if (Array.isArray(json.events)) return json.events.some((e: { data?: { uuid?: string }; resourceUuid?: string; streamId?: string }) => JSON.stringify(e).includes(uuid));
  return JSON.stringify(json).includes(uuid);
}

/** What went wrong with one cell, or null when it answered as expected. */
export function mismatchOf(api: HttpApi, expected: Expected, answer: Answer, target: Target | null): string | null {
  const got = `${answer.status} ${answer.text.slice(0, 240)}`;
  if (expected.outcome === 'allowed') {
    if (answer.status !== 200) return `expected to be allowed, got ${got}`;
    if (opOf(api) === 'read' && target !== null && api.wire === 'zstack' && api.query && !mentions(answer, target.uuid)) {
      return `expected to see ${target.label}, got ${got}`;
    }
    if (api.name === 'QueryAuditEvents' && target !== null && !mentions(answer, target.uuid)) return `expected to see events of ${target.label}, got ${got}`;
    return null;
  }
  if (expected.outcome === 'hidden') {
    if (answer.status !== 200) return `expected an answer without ${target?.label}, got ${got}`;
    return target !== null && mentions(answer, target.uuid) ? `expected ${target.label} to be hidden, got ${got}` : null;
  }
  if ('text' in expected) return answer.status === expected.status && answer.text === expected.text ? null : `expected ${expected.status} ${expected.text}, got ${got}`;
  const status = api.wire === 'rest' ? httpStatusOf(expected.code) : 503;
  const error = errorOf(answer);
  if (answer.status !== status || error.code !== expected.code) return `expected ${status} ${expected.code}, got ${got}`;
  if (expected.details && !expected.details.test(error.details ?? '')) return `expected ${expected.code} with details ${expected.details}, got ${got}`;
  return null;
}

/** A compact line per API: one mark per caller (A allowed, h hidden, R refused), in CALLERS' order. */
export function summaryOf(rows: ReadonlyArray<{ api: string; marks: string }>, totals: Record<string, number>, ms: number): string {
  const width = Math.max(...rows.map((r) => r.api.length));
  const header = `${'API'.padEnd(width)}  ${CALLERS.map((c) => c.slice(0, 5).padEnd(6)).join('')}`;
  const lines = rows.map((r) => `${r.api.padEnd(width)}  ${[...r.marks].map((m) => m.padEnd(6)).join('')}`);
  const counts = Object.entries(totals).map(([k, v]) => `${v} ${k}`).join(', ');
  return `permission matrix (A allowed, h answered with the target hidden, R refused):\n${header}\n${lines.join('\n')}\n`
    + `${rows.length} rows x ${CALLERS.length} callers = ${rows.length * CALLERS.length} cells: ${counts}; ${ms} ms\n`;
}
