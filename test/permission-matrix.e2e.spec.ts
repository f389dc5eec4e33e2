import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KV, NatsConnection } from 'nats';
import { ADMIN_ACCOUNT_UUID } from '@cp/contracts';
import { connectNats, openKv } from '@cp/bus';
import { createKeyFile } from '@cp/crypto';
import { ALL_CONTEXTS, JetStreamEventStore } from '@cp/event-store';
import { COMMON_PARAMS_FOR_TESTS } from './support/audit-fixtures';
import { closedPort } from './support/fake-clouds';
import {
  CALLERS, FIXTURE_PASSWORD, HTTP_APIS, VALID_CALLERS, authHeaders, errorOf, expectedOutcome, kindOf, mismatchOf, opOf, requestOf, summaryOf,
  type Answer, type CallerName, type Credential, type Expected, type HttpApi, type Principal, type ResourceKind, type Target,
} from './support/permission-matrix';
import { TestStack } from './support/stack';
import { ZStackClient, newJobId } from './support/zstack-client';

/**
 * The permission matrix (issue 16, part 4), generated from the API registry: every API reachable over
 * HTTP (ZSTACK_APIS and REST_APIS) called by each of eight callers (test/support/permission-matrix.ts),
 * on a resource owned by the `owner` account (or by the admin, for what only the admin owns). The
 * expected outcome comes from the registry entry and the ownership rule of the resource's kind; each
 * refused call is then checked to have appended no event (the JetStream log, by its command id) and
 * to have left no job outcome readable: a stranger's poll of its job id answers as for an unknown job,
 * and the caller's own poll either does too or shows exactly the refusal it got (ZStack delivers the
 * refusals of async APIs through the job, zstack-wire.md §1.4 and §8.2: that is the refusal, never an outcome).
 */

const POLL_TIMEOUT_MS = 10_000;

let stack: TestStack;
let admin: ZStackClient;
let port = 0;
let seq = 0;
const credentials = {} as Record<CallerName, Credential>;
const principals = {} as Record<CallerName, Principal | null>;
const primary = {} as Record<ResourceKind, Target>;
/** The audit APIs read any resource: each is run on the owner's account and on a resource only the admin owns. */
let adminOwnedForAudit: Target;
let ownerUuid = '';
let nc: NatsConnection;
let sessionsKv: KV;

const rows: Array<{ api: string; marks: string }> = [];
const totals: Record<string, number> = { allowed: 0, hidden: 0, refused: 0 };
/** What refused callers' own polls of their job ids answered. */
const ownPolls = { unknownJob: 0, theRefusal: 0 };
/** Command ids of refused calls, with what they were, for the log check at the end. */
const refusedCalls = new Map<string, string>();
/** Command ids of allowed commands: their events show that the log is searched by the right id. */
const allowedCommands = new Set<string>();
const started = Date.now();

async function ok(r: Promise<{ status: number; json: any; text: string }>): Promise<any> {
  const done = await r;
  if (done.status !== 200) throw new Error(`fixture failed: ${done.status} ${done.text}`);
  return done.json;
}

const accountTarget = (uuid: string, name: string): Target =>
  ({ kind: 'account', label: `account ${name}`, uuid, owner: uuid, name, password: FIXTURE_PASSWORD, accountUuid: uuid });

/** New resources for the calls that destroy theirs (DELETE): each allowed one gets a fresh target. */
const factories: Partial<Record<ResourceKind, () => Promise<Target>>> = {
  session: async () => ({ kind: 'session', label: "a session of the owner's", uuid: await new ZStackClient(stack.baseUrl).login('pm-owner', FIXTURE_PASSWORD), owner: ownerUuid }),
  accesskey: async () => {
    const inv = (await ok(admin.job('POST', '/zstack/v1/accesskeys', { params: { accountUuid: ownerUuid } }))).inventory;
    return { kind: 'accesskey', label: "a key of the owner's", uuid: inv.uuid, owner: ownerUuid, state: 'Enabled', accountUuid: ownerUuid };
  },
  vid: async () => {
    const name = `pm-vid-${++seq}`;
    const inv = (await ok(admin.job('POST', '/zstack/v1/iam2/virtual-ids', {
      params: { name, password: FIXTURE_PASSWORD, attributes: [{ name: 'k', value: 'v' }] },
    }))).inventory;
    return { kind: 'vid', label: `virtual ID ${name}`, uuid: inv.uuid, owner: ADMIN_ACCOUNT_UUID, name, password: FIXTURE_PASSWORD, attributeUuid: inv.attributes[0].uuid, state: 'Enabled' };
  },
  template: async () => {
    const inv = (await ok(admin.job('POST', '/zstack/v1/baremetal/preconfigurations', {
      params: { name: `pm-tpl-${++seq}`, distribution: 'centos-x86_64', type: 'kickstart', content: COMMON_PARAMS_FOR_TESTS },
    }))).inventory;
    return { kind: 'template', label: `template ${inv.name}`, uuid: inv.uuid, owner: ADMIN_ACCOUNT_UUID, state: 'Enabled' };
  },
  platform: async () => {
    const name = `pm-platform-${++seq}`;
    const created = await admin.send('POST', '/api/v1/platforms', {
      body: { name, productType: 'zstack', hostIp: '127.0.0.1', hostPort: port, username: 'admin', password: 'password' },
      headers: { Authorization: `Bearer ${admin.session}` },
    });
    if (created.status !== 200) throw new Error(`fixture failed: ${created.status} ${created.text}`);
    return { kind: 'platform', label: `platform ${name}`, uuid: created.json.uuid, owner: ADMIN_ACCOUNT_UUID };
  },
};

/** What a call may leave behind that later calls need gone: a key counts against its account's quota of two. */
async function cleanUp(api: HttpApi, answer: Answer): Promise<void> {
  if (kindOf(api) === 'accesskey' && opOf(api) === 'create' && answer.json?.inventory?.uuid) {
    await ok(admin.job('DELETE', `/zstack/v1/accesskeys/${answer.json.inventory.uuid}`));
  }
}

beforeAll(async () => {
  const keysFile = join(mkdtempSync(join(tmpdir(), 'cp-matrix-keys-')), 'keys.json');
  createKeyFile(keysFile);
  stack = await TestStack.start({
    env: {
      // A key file (RotatePlatformKeys needs one), no health monitor, quick refusals from the closed port platforms point at.
      ENCRYPTION_KEYS_FILE: keysFile, ENCRYPTION_KEY: '', HEALTH_MONITOR: 'off', CONNECT_STEP_TIMEOUT_MS: '700', CONNECT_TIMEOUT_MS: '3000',
      // One client from one address makes a few hundred calls and logins here: the gateway's abuse limits are not under test.
      RATE_LIMIT_LOGIN_PER_MIN: '0', RATE_LIMIT_API_PER_SEC: '0', MAX_IN_FLIGHT_PER_CLIENT: '0',
    },
  });
  port = await closedPort();
  nc = await connectNats(stack.nats.url, 'matrix-reader');
  sessionsKv = await openKv(nc, 'zstack-sessions');
  admin = new ZStackClient(stack.baseUrl);
  await admin.login();
  const account = async (name: string) => (await ok(admin.job('POST', '/zstack/v1/accounts', { params: { name, password: FIXTURE_PASSWORD } }))).inventory.uuid as string;
  ownerUuid = await account('pm-owner');
  const otherUuid = await account('pm-other');
  const login = (name: string) => new ZStackClient(stack.baseUrl).login(name, FIXTURE_PASSWORD);

  // The virtual ID that calls (a target virtual ID is another one, which it does not own).
  const vidCaller = (await ok(admin.job('POST', '/zstack/v1/iam2/virtual-ids', { params: { name: 'pm-vid-caller', password: FIXTURE_PASSWORD } }))).inventory;
  const vidLogin = await ok(new ZStackClient(stack.baseUrl).send('PUT', '/zstack/v1/iam2/virtual-ids/login', {
    body: { loginIAM2VirtualID: { name: 'pm-vid-caller', password: FIXTURE_PASSWORD } },
  }));

  // The owner's access key, disabled: the owner's own key is refused, even on the owner's own resources.
  const owner = new ZStackClient(stack.baseUrl, await login('pm-owner'));
  const key = (await ok(owner.job('POST', '/zstack/v1/accesskeys', { params: { accountUuid: ownerUuid } }))).inventory;
  await ok(owner.job('PUT', `/zstack/v1/accesskeys/${key.uuid}/actions`, { changeAccessKeyState: { stateEvent: 'disable' } }));

  // An expired session of the owner's: its stored expiry moved into the past, as time would. (Not
  // asked of ValidateSession, which would remove it: it stays stored, expired, until the last test checks.)
  const expired = await login('pm-owner');
  await storedSession(expired, (record) => ({ ...record, expiredDate: new Date(Date.now() - 1000).toISOString() }));
  // A session of the owner's ended by LogOut: no longer stored.
  const loggedOut = await login('pm-owner');
  await ok(admin.send('DELETE', `/zstack/v1/accounts/sessions/${loggedOut}`));
  expect((await ok(admin.send('GET', `/zstack/v1/accounts/sessions/${loggedOut}/valid`))).valid).toBe(false);

  Object.assign(credentials, {
    admin: { kind: 'session', session: admin.session! },
    owner: { kind: 'session', session: owner.session! },
    other: { kind: 'session', session: await login('pm-other') },
    vid: { kind: 'session', session: vidLogin.inventory.uuid },
    none: { kind: 'none' },
    expired: { kind: 'session', session: expired },
    loggedOut: { kind: 'session', session: loggedOut },
    disabledKey: { kind: 'key', id: key.AccessKeyID, secret: key.AccessKeySecret },
  } satisfies Record<CallerName, Credential>);
  Object.assign(principals, {
    admin: { accountUuid: ADMIN_ACCOUNT_UUID, userUuid: ADMIN_ACCOUNT_UUID },
    owner: { accountUuid: ownerUuid, userUuid: ownerUuid },
    other: { accountUuid: otherUuid, userUuid: otherUuid },
    vid: { accountUuid: ADMIN_ACCOUNT_UUID, userUuid: vidCaller.uuid },
    none: null, expired: null, loggedOut: null, disabledKey: null,
  } satisfies Record<CallerName, Principal | null>);

  const vid = await factories.vid!();
  Object.assign(primary, {
    account: accountTarget(ownerUuid, 'pm-owner'),
    session: await factories.session!(),
    // The owner's disabled key: calls on it keep it disabled (stateEvent follows `state`).
    accesskey: { kind: 'accesskey', label: "the owner's disabled key", uuid: key.uuid, owner: ownerUuid, state: 'Disabled', accountUuid: ownerUuid },
    vid,
    vidAttribute: { kind: 'vidAttribute', label: `an attribute of ${vid.label}`, uuid: vid.attributeUuid!, owner: ADMIN_ACCOUNT_UUID },
    template: await factories.template!(),
    platform: await factories.platform!(),
    audit: { ...accountTarget(ownerUuid, 'pm-owner'), kind: 'audit', label: "the owner's account" },
  } satisfies Record<ResourceKind, Target>);
  adminOwnedForAudit = { ...vid, kind: 'audit', label: `${vid.label} (the admin's)` };
}, 60_000);

/** A session's record in identity-svc's store (the KV bucket `zstack-sessions`), rewritten when `change` is given. */
async function storedSession(uuid: string, change?: (record: Record<string, unknown>) => Record<string, unknown>): Promise<Record<string, unknown> | null> {
  const entry = await sessionsKv.get(uuid);
  if (!entry || entry.operation !== 'PUT') return null;
  const record = entry.json<Record<string, unknown>>();
  if (!change) return record;
  const changed = change(record);
  await sessionsKv.put(uuid, JSON.stringify(changed));
  return changed;
}

afterAll(async () => {
  if (rows.length > 0) {
    process.stdout.write(`${summaryOf(rows, totals, Date.now() - started)}refused callers' own polls of their job ids: `
      + `${ownPolls.unknownJob} an unknown job, ${ownPolls.theRefusal} the refusal itself (async ZStack APIs and /api/v1 commands the service refused)\n`);
  }
  await nc?.drain();
  await stack?.stop();
});

// --- One call ----------------------------------------------------------------------------------------

async function send(credential: Credential, method: string, path: string, body: unknown, jobId: string): Promise<Answer> {
  const headers: Record<string, string> = { 'X-Job-UUID': jobId, ...authHeaders(credential, method, path) };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(stack.baseUrl + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json };
}

/** The job poll with a caller's ZStack credential (`OAuth`, or the signature), as the SDKs poll. */
const poll = (credential: Credential, jobId: string) => send(credential, 'GET', `/zstack/v1/api-jobs/${jobId}`, undefined, newJobId());

/** One cell: the call, followed through its job when it answers 202 (async ZStack APIs). */
async function call(api: HttpApi, credential: Credential, target: Target | null, jobId: string): Promise<Answer> {
  const request = requestOf(api, target, { unique: `${api.name.toLowerCase()}-${++seq}`, closedPort: port });
  const first = await send(credential, request.method, request.path, request.body, jobId);
  if (first.status !== 202) return first;
  const deadline = Date.now() + POLL_TIMEOUT_MS;
  for (;;) {
    const polled = await poll(credential, jobId);
    if (polled.status !== 202 || Date.now() > deadline) return polled;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const UNKNOWN_JOB = (a: Answer) => a.status === 404 && a.text === 'the job has been expired';

/**
 * A refused call leaves no outcome behind: a stranger (a normal account that is not the caller's, and
 * no credential at all) polls its job id as an unknown job; the caller itself does too, or reads
 * exactly the refusal it was answered (the job of a refused async call holds it), never a result.
 */
async function leftovers(caller: CallerName, answer: Answer, jobId: string): Promise<string[]> {
  const problems: string[] = [];
  const stranger: CallerName = caller === 'other' ? 'owner' : 'other';
  for (const [who, credential] of [[stranger, credentials[stranger]], ['nobody', { kind: 'none' }]] as const) {
    const r = await poll(credential, jobId);
    if (!UNKNOWN_JOB(r)) problems.push(`${who}'s poll of the refused job: ${r.status} ${r.text.slice(0, 200)}`);
  }
  const own = await poll(credentials[caller], jobId);
  const sameRefusal = own.status === 503 && errorOf(own).code !== undefined && errorOf(own).code === errorOf(answer).code;
  ownPolls[sameRefusal ? 'theRefusal' : 'unknownJob']++;
  if (!UNKNOWN_JOB(own) && !sameRefusal) problems.push(`the caller's own poll of the refused job: ${own.status} ${own.text.slice(0, 200)}`);
  return problems;
}

/**
 * An outcome is its caller's: the job of an allowed command is read by the caller and by the admin
 * (decisions.md, "Job polls are the owner's"), and polled by any other principal, or with no
 * credential, as an unknown job. A virtual ID acts within the admin account but is not the admin.
 */
async function readers(api: HttpApi, caller: CallerName, jobId: string): Promise<string[]> {
  const problems: string[] = [];
  for (const poller of [...VALID_CALLERS, 'none'] as const) {
    // A job of /api/v1 is no ZStack job: its id polled on the ZStack route is an unknown job to everyone.
    const readable = api.wire === 'zstack' && (poller === caller || poller === 'admin');
    const r = await poll(credentials[poller], jobId);
    if (readable ? r.status !== 200 : !UNKNOWN_JOB(r)) {
      const secret = r.text.includes('AccessKeySecret') ? ' (the secret shown once included)' : '';
      problems.push(`${poller}'s poll of the job: expected ${readable ? '200' : 'the unknown job'}, got ${r.status}${secret} ${r.text.slice(0, 200)}`);
    }
  }
  return problems;
}

/** The callers in the order they run on one target: those expected refused first, then those allowed (who may consume it). */
function plan(api: HttpApi, target: Target | null): Array<{ caller: CallerName; expected: Expected }> {
  const cells = CALLERS.map((caller) => ({ caller, expected: expectedOutcome(api, caller, principals[caller], target) }));
  return [...cells.filter((c) => c.expected.outcome !== 'allowed'), ...cells.filter((c) => c.expected.outcome === 'allowed')];
}

const MARK: Record<Expected['outcome'], string> = { allowed: 'A', hidden: 'h', refused: 'R' };

/** Runs one API for every caller; returns what did not answer as expected. */
async function runApi(api: HttpApi, target: Target | null, label: string): Promise<string[]> {
  const destroys = api.method === 'DELETE';
  const factory = factories[kindOf(api)];
  let current = target;
  const mismatches: string[] = [];
  const marks = new Map<CallerName, string>();
  // A fresh target has the owner its kind's primary has: the plan is made on that.
  for (const { caller, expected } of plan(api, target ?? primary[kindOf(api)])) {
    if (current === null && factory) current = await factory();
    const jobId = newJobId();
    const answer = await call(api, credentials[caller], current, jobId);
    // Outcomes depend on the target's owner only, which a fresh target of the same kind keeps.
    const mismatch = mismatchOf(api, expected, answer, current);
    if (mismatch) mismatches.push(`${label} as ${caller}: ${mismatch}`);
    if (caller === 'expired') {
      // Still an expired session, not a removed one (which is what `loggedOut` is).
      const record = await storedSession((credentials.expired as { session: string }).session);
      if (!record || Date.parse(String(record.expiredDate)) > Date.now()) mismatches.push(`${label}: the expired session is no longer stored as expired`);
    }
    marks.set(caller, mismatch ? '!' : MARK[expected.outcome]);
    totals[expected.outcome]++;
    if (expected.outcome === 'allowed') {
      if (api.kind === 'command' && answer.status === 200) {
        allowedCommands.add(jobId);
        for (const problem of await readers(api, caller, jobId)) mismatches.push(`${label} as ${caller}: ${problem}`);
      }
      await cleanUp(api, answer);
      if (destroys && factory && answer.status === 200) current = null;
    } else {
      refusedCalls.set(jobId, `${label} as ${caller}`);
      for (const problem of await leftovers(caller, answer, jobId)) mismatches.push(`${label} as ${caller}: ${problem}`);
    }
  }
  // A fresh target nobody consumed goes (a key would hold a slot of the owner's quota).
  if (destroys && current !== null && current !== target && factory) await ok(call(api, credentials.admin, current, newJobId()));
  rows.push({ api: label, marks: CALLERS.map((c) => marks.get(c)).join('') });
  return mismatches;
}

// --- The matrix --------------------------------------------------------------------------------------

/**
 * Every HTTP API of the registry, in the registry's order, except that the calls that delete run last,
 * the deletion of the owner's own account the very last (its allowed call, the admin's, ends the owner).
 */
const order = (api: HttpApi) => (api.method !== 'DELETE' ? 0 : kindOf(api) === 'account' ? 2 : 1);
const MATRIX = [...HTTP_APIS].sort((a, b) => order(a) - order(b));

/** One test per API (and per audit target): [label, api, target] where the target is looked up once the fixtures exist. */
const CASES: Array<[string, HttpApi, () => Target | null]> = MATRIX.flatMap((api): Array<[string, HttpApi, () => Target | null]> => {
  const kind = kindOf(api);
  if (kind === 'audit') {
    return [[`${api.name} (owner's)`, api, () => primary.audit], [`${api.name} (admin's)`, api, () => adminOwnedForAudit]];
  }
  // A fresh target for what deletes (the primary stays for the calls after it), the owner's account for DeleteAccount.
  const fresh = api.method === 'DELETE' && factories[kind] !== undefined;
  return [[api.name, api, () => (fresh ? null : primary[kind])]];
});

describe('permission matrix: every HTTP API of the registry x every caller', () => {
  it('covers every HTTP API of the registry with every caller', () => {
    expect(new Set(CASES.map(([, api]) => api.name)).size).toBe(HTTP_APIS.length);
    expect(VALID_CALLERS.every((c) => principals[c] !== null)).toBe(true);
  });

  it.each(CASES)('%s answers each caller as its registry entry says', async (label, api, targetOf) => {
    expect(await runApi(api, targetOf(), label)).toEqual([]);
  });

  it('no refused call appended an event (the JetStream log, by command id)', async () => {
    const events = await new JetStreamEventStore(nc, { context: ALL_CONTEXTS }).readAll(null);
    const fromRefused = events.filter((e) => refusedCalls.has(e.metadata.commandId))
      .map((e) => `${e.type} on ${e.streamId} from ${refusedCalls.get(e.metadata.commandId)}`);
    expect(refusedCalls.size).toBeGreaterThan(0);
    expect(fromRefused).toEqual([]);
    // The same lookup finds the events of allowed commands, by the X-Job-UUID / Idempotency-Key they were sent with.
    expect(new Set(events.map((e) => e.metadata.commandId).filter((id) => allowedCommands.has(id))).size).toBeGreaterThan(allowedCommands.size / 2);
  });
});
