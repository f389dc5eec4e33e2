import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { ZSTACK_APIS, ADMIN_ACCOUNT_UUID, REST_APIS, queryParamsOf, apiParams, type ZStackApiEntry, type ApiParamSpec, type RestApiEntry } from '@cp/contracts';
import { connectNats } from '@cp/bus';
import { ALL_CONTEXTS, JetStreamEventStore } from '@cp/event-store';
import { COMMON_PARAMS_FOR_TESTS } from './support/audit-fixtures';
import { TestStack } from './support/stack';
import { ZStackClient } from './support/zstack-client';

/**
 * A fuzz run generated from the API catalog: a few thousand requests, drawn with a fixed seed, over
 * every ZStack API (and the `/api/v1` routes that stay on this machine), as the admin, as a normal
 * account, and without a valid session; bodies built from each DTO's @ApiParam fields with values
 * that are well typed, wrong typed, null, huge, unicode, nested or prototype-shaped. Asserted: no
 * answer (nor job outcome) is a 500 or SYS.1000, and no refused request wrote an event.
 */

const SEED = 0x5eed_2025;
const RUNS = Number(process.env.FUZZ_RUNS ?? 3000);
const CONCURRENCY = 8;
const POLL_TIMEOUT_MS = 15_000;

const sha512 = (t: string) => createHash('sha512').update(t).digest('hex');
type Who = 'admin' | 'normal' | 'none' | 'bogus';

interface FuzzRequest {
  label: string;
  method: string;
  path: string;
  body?: string;
  contentType?: string;
  who: Who;
  jobId: string;
  /** `/api/v1` routes take a Bearer session and answer JSON errors with HTTP statuses. */
  rest: boolean;
}

interface Pools {
  accounts: string[];
  sessions: string[];
  vids: string[];
  attributes: string[];
  accessKeys: string[];
  templates: string[];
  names: string[];
}

let stack: TestStack;
const clients: Partial<Record<Who, ZStackClient>> = {};
const pools: Pools = { accounts: [], sessions: [], vids: [], attributes: [], accessKeys: [], templates: [], names: [] };
let normalUuid = '';

beforeAll(async () => {
  stack = await TestStack.start();
  const admin = new ZStackClient(stack.baseUrl);
  await admin.login();
  const ok = async (r: Promise<{ status: number; json: any; text: string }>) => {
    const done = await r;
    if (done.status !== 200) throw new Error(`fixture failed: ${done.status} ${done.text}`);
    return done.json.inventory;
  };
  const account = (name: string) => ok(admin.job('POST', '/zstack/v1/accounts', { params: { name, password: sha512(`${name}-pw`) } }));
  normalUuid = (await account('fuzz-normal')).uuid;
  const normal = new ZStackClient(stack.baseUrl);
  await normal.login('fuzz-normal', sha512('fuzz-normal-pw'));
  const victims = [await account('victim-a'), await account('victim-b'), await account('victim-c')];
  const victimSessions = [];
  for (const v of victims) victimSessions.push(await new ZStackClient(stack.baseUrl).login(v.name, sha512(`${v.name}-pw`)));
  const vidOf = (client: ZStackClient, name: string) => ok(client.job('POST', '/zstack/v1/iam2/virtual-ids', {
    params: { name, password: sha512(`${name}-pw`), attributes: [{ name: 'k', value: 'v' }] },
  }));
  const vids = [await vidOf(admin, 'vid-a'), await vidOf(admin, 'vid-b'), await vidOf(admin, 'vid-c')];
  const keys = [
    await ok(admin.job('POST', '/zstack/v1/accesskeys', { params: { accountUuid: victims[0].uuid } })),
    await ok(admin.job('POST', '/zstack/v1/accesskeys', { params: { accountUuid: victims[1].uuid } })),
    await ok(normal.job('POST', '/zstack/v1/accesskeys', { params: { accountUuid: normalUuid } })),
  ];
  const template = (name: string) => ok(admin.job('POST', '/zstack/v1/baremetal/preconfigurations', {
    params: { name, distribution: 'centos', type: 'kickstart', content: COMMON_PARAMS_FOR_TESTS },
  }));
  const templates = [await template('tpl-a'), await template('tpl-b'), await template('tpl-c')];
  Object.assign(pools, {
    // The callers' own accounts and sessions stay out: a changed password or a logout would end the run's sessions.
    accounts: victims.map((a) => a.uuid),
    sessions: victimSessions,
    vids: vids.map((v) => v.uuid),
    attributes: vids.flatMap((v) => v.attributes.map((a: { uuid: string }) => a.uuid)),
    accessKeys: keys.map((k) => k.uuid),
    templates: templates.map((t) => t.uuid),
    names: ['admin', 'victim-a', 'victim-b', 'fuzz-normal', 'vid-a', 'vid-b', 'tpl-a'],
  });
  clients.admin = admin;
  clients.normal = normal;
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

// --- Values ------------------------------------------------------------------------------------------

const hex32 = fc.stringMatching(/^[0-9a-f]{32}$/);
const v4ish = hex32.map((h) => `${h.slice(0, 12)}4${h.slice(13, 16)}a${h.slice(17)}`);
const unicode = fc.string({ unit: 'binary', maxLength: 40 });
const huge = fc.tuple(fc.constantFrom('x', 'é', '😀', '\u0000', ' ', '{{ A }}'), fc.integer({ min: 2_000, max: 70_000 })).map(([c, n]) => c.repeat(n));
const protoShaped = fc.constantFrom<unknown>(
  JSON.parse('{"__proto__":{"isAdmin":true,"name":"x"}}'), { constructor: { prototype: { polluted: true } } }, { toString: 'x', valueOf: 1 },
);
const numbers = fc.constantFrom<unknown>(0, -0, -1, 1.5, 2 ** 31, 2 ** 53 + 2, -(2 ** 63), 1e308, Number.MIN_VALUE);
const nested = fc.integer({ min: 10, max: 60 }).map((d) => JSON.parse('['.repeat(d) + ']'.repeat(d)));
const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null), fc.jsonValue({ maxDepth: 3 }), unicode, huge, protoShaped, numbers, nested,
  fc.constant(''), fc.constant('   '), fc.boolean(), fc.constant([]), fc.constant({}), fc.array(fc.constant(null), { maxLength: 3 }),
);

function uuidPool(field: string, path = ''): string[] {
  if (/session/i.test(field) || path.includes('/sessions')) return pools.sessions;
  if (/attribute/i.test(field) || path.includes('/virtual-ids/attributes')) return pools.attributes;
  if (/virtual-?id|iam2/i.test(field) || path.includes('/virtual-ids')) return pools.vids;
  if (/accesskey/i.test(field) || path.includes('/accesskeys')) return pools.accessKeys;
  if (/preconfig|template/i.test(field) || path.includes('/preconfigurations')) return pools.templates;
  return pools.accounts;
}

/**
 * For a DELETE, the pool's first resource of each kind is kept, so that later updates still find one;
 * the built-in admin is a target only there (refused), never of an update that could end the run's admin session.
 */
const uuidLike = (field: string, path = '', method = ''): fc.Arbitrary<string> => fc.oneof(
  { arbitrary: fc.constantFrom(...uuidPool(field, path).slice(method === 'DELETE' ? 1 : 0)), weight: 5 },
  { arbitrary: v4ish, weight: 2 },
  { arbitrary: fc.constantFrom(...(method === 'DELETE' ? [ADMIN_ACCOUNT_UUID] : []), 'x', '0'.repeat(32), 'A'.repeat(32), '../..', '%00', ' '), weight: 1 },
  { arbitrary: unicode, weight: 1 },
);

function wellTyped(spec: ApiParamSpec, path: string): fc.Arbitrary<unknown> {
  const maxLength = spec.maxLength ?? 300;
  switch (spec.type) {
    case 'int': {
      const [lo, hi] = spec.numberRange ?? [-1000, 100_000];
      return fc.oneof(fc.integer({ min: lo, max: hi }), fc.constantFrom(lo - 1, hi + 1), fc.integer(), fc.constant(1.5), fc.constant('60'));
    }
    case 'boolean':
      return fc.oneof(fc.boolean(), fc.constantFrom('TRUE', 'false', 'yes', '1', 1));
    case 'map':
      return fc.oneof(fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 }), protoShaped);
    case 'list':
      return fc.array(fc.oneof(
        fc.record({ name: fc.oneof(fc.string({ maxLength: 20 }), hostile), value: fc.oneof(fc.string({ maxLength: 20 }), hostile) }, { requiredKeys: [] }),
        uuidLike(spec.name, path), fc.string({ maxLength: 20 }), hostile,
      ), { maxLength: 4 });
    default: {
      const options: Array<fc.WeightedArbitrary<unknown>> = [
        { arbitrary: fc.stringMatching(/^[\w.-]{1,16}$/), weight: 4 },
        { arbitrary: fc.string({ maxLength: Math.min(maxLength, 300) }), weight: 1 },
        { arbitrary: unicode, weight: 1 },
        { arbitrary: fc.oneof(fc.integer(), fc.boolean()), weight: 1 },
      ];
      if (spec.validValues) {
        options.push({ arbitrary: fc.constantFrom(...spec.validValues), weight: 12 }, { arbitrary: fc.constantFrom(...spec.validValues).map((v) => v.toUpperCase()), weight: 1 });
      }
      if (/uuid/i.test(spec.name)) options.push({ arbitrary: uuidLike(spec.name, path), weight: 12 });
      if (/name/i.test(spec.name)) options.push({ arbitrary: fc.constantFrom(...pools.names), weight: 2 });
      if (spec.name === 'content') options.push({ arbitrary: fc.constantFrom(COMMON_PARAMS_FOR_TESTS, `${COMMON_PARAMS_FOR_TESTS}\n{{ x }} {{`), weight: 8 });
      if (spec.maxLength !== undefined) options.push({ arbitrary: fc.constantFrom(spec.maxLength, spec.maxLength + 1).map((n) => 'a'.repeat(n)), weight: 1 });
      return fc.oneof(...options);
    }
  }
}

/**
 * A DTO's fields, each maybe there. Half the requests are plausible (values of the declared JSON
 * type, so they get past the REST layer's type check into the services); the other half mix in
 * hostile values and unknown keys.
 */
function fieldsOf(request: new () => object, path: string): fc.Arbitrary<Record<string, unknown>> {
  const specs = apiParams(request);
  const plausible = fc.record(Object.fromEntries(specs.map((s) => [s.name, wellTyped(s, path)])), {
    requiredKeys: specs.filter((s) => s.required).map((s) => s.name),
  });
  const mixed = fc.tuple(
    fc.record(Object.fromEntries(specs.map((s) => [s.name, fc.oneof({ arbitrary: wellTyped(s, path), weight: 3 }, { arbitrary: hostile, weight: 1 })])), { requiredKeys: [] }),
    fc.oneof({ arbitrary: fc.constant({}), weight: 2 }, { arbitrary: fc.dictionary(fc.string({ maxLength: 10 }), hostile, { maxKeys: 3 }), weight: 1 }),
  ).map(([known, strangers]) => ({ ...strangers, ...known }));
  return fc.oneof(plausible, mixed);
}

const encode = (v: unknown) => encodeURIComponent(typeof v === 'string' ? v : JSON.stringify(v) ?? '');

function fillPath(template: string, prefix: string, method: string): fc.Arbitrary<string> {
  const names = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
  return fc.tuple(...names.map((n) => uuidLike(n, template, method))).map((values) => {
    let i = 0;
    return prefix + template.replace(/\{\w+\}/g, () => encodeURIComponent(values[i++] || 'x'));
  });
}

/** A body: mostly the API's own shape, sometimes another key, raw junk or bounded-deep nesting. */
function bodyOf(key: string | undefined, fields: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<string | undefined> {
  const wrapped = fc.tuple(fields, fc.option(fc.oneof({ arbitrary: fc.array(fc.string({ maxLength: 20 }), { maxLength: 3 }), weight: 3 }, { arbitrary: hostile, weight: 1 }), { freq: 3 }))
    .map(([f, tags]) => JSON.stringify({ [key ?? 'params']: f, ...(tags === null ? {} : { systemTags: tags }) }));
  const tooDeep = `{"${key ?? 'params'}":{"name":"n","x":${'['.repeat(60_000)}${']'.repeat(60_000)}}}`;
  return fc.oneof(
    { arbitrary: wrapped, weight: 20 },
    { arbitrary: fields.map((f) => JSON.stringify({ notAnAction: f })), weight: 1 },
    { arbitrary: fields.map((f) => JSON.stringify(f)), weight: 1 },
    { arbitrary: hostile.map((v) => JSON.stringify(v) ?? ''), weight: 1 },
    { arbitrary: fc.constantFrom('', '{', '{"params":', 'null', '[]', '"x"', `${'['.repeat(65)}${']'.repeat(65)}`, '\u0000', '{"a":1}{"b":2}', tooDeep), weight: 1 },
    { arbitrary: fc.constant(undefined), weight: 1 },
  );
}

/** Parameter names that read as a path into a prototype. */
const PROTO_NAMES = ['__proto__', '__proto__.polluted', '__proto__.0', 'constructor', 'constructor.prototype', 'toString.polluted', 'hasOwnProperty', 'valueOf.x'];

function queryOf(api: ZStackApiEntry): fc.Arbitrary<string> {
  const pair = (k: fc.Arbitrary<string>, v: fc.Arbitrary<unknown>) => fc.tuple(k, v).map(([a, b]) => `${encodeURIComponent(a)}=${encode(b)}`);
  const protoPairs = fc.array(pair(fc.constantFrom(...PROTO_NAMES), fc.constantFrom('yes', '1', '')), { maxLength: 2 });
  const condition = fc.tuple(
    fc.oneof(fc.constantFrom('uuid', 'name', 'state', 'type', 'accountUuid', 'createDate', 'attributes.name', '__systemTag__', 'x.y.z', ...PROTO_NAMES), fc.string({ maxLength: 10 })),
    fc.constantFrom('=', '!=', '>=', '<=', '?=', '!?=', '~=', '!~=', '>', '<', ' is null', ' not null', ''),
    fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('%', '_', 'a,b,c', ',', '2025-01-01', '-1', '1e999'), unicode),
  ).map(([f, op, v]) => `${f}${op}${op.includes('null') ? '' : v}`);
  const pairs = api.query
    ? fc.array(fc.oneof(
      pair(fc.constant('q'), condition),
      pair(fc.constantFrom('limit', 'start'), fc.oneof(fc.integer({ min: -5, max: 5000 }), fc.string({ maxLength: 5 }), fc.constant('99999999999999999999'))),
      pair(fc.constantFrom('count', 'replyWithCount'), fc.oneof(fc.boolean(), fc.string({ maxLength: 5 }))),
      pair(fc.constantFrom('sort', 'fields', 'groupBy', 'filterName'), fc.oneof(fc.constantFrom('+name', '-createDate', 'name,uuid', 'uuid', '', 'a:b'), fc.string({ maxLength: 10 }))),
      pair(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 })),
    ), { maxLength: 5 })
    : fieldsOf(api.request, api.paths[0]).map((f) => Object.entries(f).flatMap(([k, v]) => (Array.isArray(v)
      ? v.map((e) => `${encodeURIComponent(k)}=${encode(e)}`)
      : v !== null && typeof v === 'object' ? Object.entries(v).map(([mk, mv]) => `${encodeURIComponent(`${k}.${mk}`)}=${encode(mv)}`)
        : [`${encodeURIComponent(k)}=${encode(v)}`])));
  return fc.tuple(pairs, fc.oneof({ arbitrary: fc.constant([]), weight: 4 }, { arbitrary: protoPairs, weight: 1 }))
    .map(([p, proto]) => [...p, ...proto]).map((p) => (p.length ? `?${p.join('&')}` : ''));
}

const who = fc.oneof({ arbitrary: fc.constant<Who>('admin'), weight: 9 }, { arbitrary: fc.constant<Who>('normal'), weight: 9 },
  { arbitrary: fc.constantFrom<Who>('none', 'bogus'), weight: 2 });
const contentType = fc.constantFrom(undefined, 'application/json;charset=UTF-8', 'text/plain', 'application/x-www-form-urlencoded');

function zstackRequest(api: ZStackApiEntry): fc.Arbitrary<FuzzRequest> {
  const carriesBody = api.method === 'POST' || api.method === 'PUT';
  return fc.record({
    path: fc.constantFrom(...api.paths).chain((p) => fillPath(p, '/zstack/v1', api.method)),
    query: carriesBody ? fc.constant('') : queryOf(api),
    body: carriesBody ? bodyOf(api.bodyKey, fieldsOf(api.request, api.paths[0])) : fc.constant(undefined),
    contentType, who, jobId: hex32,
  }).map((r) => ({ label: api.name, method: api.method, path: r.path + r.query, body: r.body, contentType: r.contentType, who: r.who, jobId: r.jobId, rest: false }));
}

/** Our own routes, minus those that reach other clouds over the network (their inputs are covered by platform-svc's own specs). */
const LOCAL_ROUTES = REST_APIS.filter((r) => r.timeoutMs === undefined);

function restRequest(route: RestApiEntry): fc.Arbitrary<FuzzRequest> {
  const params = queryParamsOf(route);
  const query = fc.array(fc.tuple(fc.oneof(...(params.length ? [fc.constantFrom(...params)] : []), fc.string({ maxLength: 6 }), fc.constantFrom(...PROTO_NAMES)),
    fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('0', '-1', '1000000', '2025-01-01T00:00:00Z', 'Account', 'AccountUpdated', ''), unicode)), { maxLength: 4 })
    .map((pairs) => (pairs.length ? `?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}` : ''));
  const renderFields = fc.record({
    uuid: uuidLike('uuid', '/preconfigurations'),
    params: fc.oneof(fc.dictionary(fc.constantFrom('REPO_URL', 'USERNAME', 'PASSWORD', 'NETWORK_CFGS', 'x', ''), fc.oneof(fc.string(), hostile), { maxKeys: 6 }), hostile),
  }, { requiredKeys: [] });
  return fc.record({
    path: fillPath(route.path, '/api/v1', route.method),
    query: route.method === 'GET' ? query : fc.constant(''),
    body: route.bodyKey ? fc.oneof(renderFields.map((f) => JSON.stringify(f)), hostile.map((v) => JSON.stringify(v) ?? '')) : fc.constant(undefined),
    who, jobId: hex32,
  }).map((r) => ({ label: `REST ${route.name}`, method: route.method, path: r.path + r.query, body: r.body, contentType: 'application/json', who: r.who, jobId: r.jobId, rest: true }));
}

// --- Running -----------------------------------------------------------------------------------------

interface Finding { request: string; answer: string }

const short = (text: string | undefined, n = 300) => (text === undefined ? '' : text.length > n ? `${text.slice(0, n)}…(${text.length} chars)` : text);
const describeRequest = (r: FuzzRequest) => `${r.label} [${r.who}] ${r.method} ${short(r.path, 200)} ${short(r.body, 300)}`;

function headersOf(r: FuzzRequest): Record<string, string> {
  const headers: Record<string, string> = { 'X-Job-UUID': r.jobId };
  if (r.contentType) headers['Content-Type'] = r.contentType;
  const session = r.who === 'bogus' ? '0'.repeat(32) : r.who === 'none' ? undefined : clients[r.who]?.session;
  if (session) headers.Authorization = r.rest ? `Bearer ${session}` : `OAuth ${session}`;
  return headers;
}

async function run(r: FuzzRequest): Promise<{ status: number; text: string }> {
  const headers = headersOf(r);
  const res = await fetch(stack.baseUrl + r.path, { method: r.method, headers, body: r.method === 'GET' ? undefined : r.body });
  const first = { status: res.status, text: await res.text() };
  if (first.status !== 202 || r.rest) return first;
  const location = (JSON.parse(first.text) as { location: string }).location;
  const deadline = Date.now() + POLL_TIMEOUT_MS;
  for (;;) {
    // As the SDKs poll: with the caller's credential (a job is its caller's).
    const polled = await fetch(stack.baseUrl + new URL(location).pathname, { headers: headers.Authorization ? { Authorization: headers.Authorization } : {} });
    const answer = { status: polled.status, text: await polled.text() };
    if (answer.status !== 202) return answer;
    if (Date.now() > deadline) return { status: 202, text: `still pending after ${POLL_TIMEOUT_MS} ms` };
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const errorCodeOf = (text: string): string | undefined => {
  try {
    return (JSON.parse(text) as { error?: { code?: string } }).error?.code;
  } catch {
    return undefined;
  }
};

describe('fuzz: every catalog API with arbitrary JSON', () => {
  it(`answers ${RUNS} generated requests without a 500 or SYS.1000, and refused requests write no event`, async () => {
    const started = Date.now();
    const prototypes = () => [Object.prototype, Array.prototype, Function.prototype, String.prototype].map((p) => Object.getOwnPropertyNames(p).sort());
    const prototypesBefore = prototypes();
    const perApi = [...ZSTACK_APIS.map(zstackRequest), ...LOCAL_ROUTES.map(restRequest)];
    const requests = fc.sample(fc.oneof(...perApi), { seed: SEED, numRuns: RUNS });

    const findings: Finding[] = [];
    const refused = new Map<string, FuzzRequest>();
    const statuses = new Map<string, number>();
    const apisReached = new Set<string>();
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const r = requests[next++];
        let answer: { status: number; text: string };
        try {
          answer = await run(r);
        } catch (error) {
          findings.push({ request: describeRequest(r), answer: `no answer: ${(error as Error).message}` });
          continue;
        }
        const code = errorCodeOf(answer.text);
        const key = `${answer.status}${code ? ` ${code}` : ''}`;
        statuses.set(key, (statuses.get(key) ?? 0) + 1);
        apisReached.add(r.label);
        if (answer.status >= 500 && answer.status !== 503) findings.push({ request: describeRequest(r), answer: `${answer.status} ${short(answer.text)}` });
        else if (code === 'SYS.1000') findings.push({ request: describeRequest(r), answer: `${answer.status} ${short(answer.text)}` });
        else if (answer.status === 202) findings.push({ request: describeRequest(r), answer: answer.text });
        if (answer.status !== 200) refused.set(r.jobId, r);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));

    // Every event the stack stored, straight from the log: none may carry a refused request's command id.
    // Login attempts are the exception by design: each one, refused or not, is audited (LoginFailed).
    const nc = await connectNats(stack.nats.url, 'fuzz-reader');
    const events = await new JetStreamEventStore(nc, { context: ALL_CONTEXTS }).readAll(null).finally(() => nc.drain());
    const fromRefused = events.filter((e) => refused.has(e.metadata.commandId) && e.type !== 'LoginFailed')
      .map((e) => `${e.type} on ${e.streamId} from ${describeRequest(refused.get(e.metadata.commandId)!)}`);
    const withNull = events.filter((e) => Object.values(e.data).some((v) => v === null)).map((e) => `${e.type} ${JSON.stringify(e.data)}`);

    // One line for the record: what the run covered and how long it took.
    process.stdout.write(`fuzz: ${requests.length} requests, ${apisReached.size}/${perApi.length} APIs, ${events.length} events, `
      + `${refused.size} refused, ${Date.now() - started} ms; answers ${JSON.stringify(Object.fromEntries([...statuses].sort()))}\n`);
    expect(findings).toEqual([]);
    // The gateway and the services run in this process: no request may have reached a prototype.
    expect(prototypes()).toEqual(prototypesBefore);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(fromRefused).toEqual([]);
    expect(withNull).toEqual([]);
    expect(apisReached.size).toBe(perApi.length);
  }, 120_000);
});
