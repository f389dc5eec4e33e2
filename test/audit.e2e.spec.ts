import { createHash, randomUUID } from 'node:crypto';
import { get as httpGet } from 'node:http';
import { BusClient, connectNats } from '@cp/bus';
import { ADMIN_ACCOUNT_UUID, COMMON_PARAMS_FOR_TESTS } from './support/audit-fixtures';
import { e2eEventStores, rawStoreOf } from './support/event-stores';
import { TestStack } from './support/stack';
import { ZStackClient, type HttpResult } from './support/zstack-client';

/** The Audit API over real HTTP and NATS: filters, paging, ownership, history, asOf, NDJSON export, upcasting. */

const sha512 = (t: string) => createHash('sha512').update(t).digest('hex');
describe.each(e2eEventStores())('on $name', ({ env: storeEnv }) => {
  let stack: TestStack;
  let admin: ZStackClient;
  let alice: ZStackClient;
  let aliceUuid: string;
  let template: Record<string, any>;
  const marks: { beforeTemplate: string; afterCreate?: string } = { beforeTemplate: '' };

  beforeAll(async () => {
    stack = await TestStack.start({ env: storeEnv });
    admin = new ZStackClient(stack.baseUrl);
    await admin.login();
    const created = await admin.job('POST', '/zstack/v1/accounts', { params: { name: 'alice', password: sha512('alice-pw') } });
    aliceUuid = created.json.inventory.uuid;
    alice = new ZStackClient(stack.baseUrl);
    await alice.login('alice', sha512('alice-pw'));
    expect((await alice.job('POST', '/zstack/v1/accesskeys', { params: { accountUuid: aliceUuid } })).status).toBe(200);
    marks.beforeTemplate = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 20));
    template = (await admin.job('POST', '/zstack/v1/baremetal/preconfigurations', {
      params: { name: 'audited', distribution: 'd', type: 'kickstart', content: COMMON_PARAMS_FOR_TESTS },
    })).json.inventory;
    await admin.job('PUT', `/zstack/v1/baremetal/preconfigurations/${template.uuid}/actions`, { updatePreconfigurationTemplate: { name: 'audited-2' } });
    await admin.job('PUT', `/zstack/v1/baremetal/preconfigurations/${template.uuid}/actions`, { changePreconfigurationTemplateState: { stateEvent: 'disable' } });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const audit = (client: ZStackClient, path: string, headers: Record<string, string> = {}) =>
    new ZStackClient(stack.baseUrl).send('GET', `/api/v1/audit${path}`, { headers: { Authorization: `Bearer ${client.session}`, ...headers } });
  const types = (r: HttpResult) => r.json.events.map((e: { type: string }) => e.type);
  const bad = (r: HttpResult, name: string) => {
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe('SYS.1007');
    expect(r.json.error.details).toContain(name);
  };

  describe('GET /api/v1/audit/events', () => {
    it('lists events in log order with who, when and which command; password hashes redacted', async () => {
      const r = await audit(admin, '/events?resourceType=Account');
      expect(r.status).toBe(200);
      const created = r.json.events.find((e: any) => e.type === 'AccountCreated' && e.resourceUuid === aliceUuid);
      expect(created).toMatchObject({
        streamId: `account-${aliceUuid}`, resourceType: 'Account', actor: { accountUuid: ADMIN_ACCOUNT_UUID, via: 'rest' },
        data: { name: 'alice', passwordHash: '[redacted]' },
      });
      expect(created.position).toMatch(/^\d+$/);
      expect(created.commandId).toMatch(/^[0-9a-f]{32}$/);
      const positions = r.json.events.map((e: { position: string }) => BigInt(e.position));
      expect([...positions].sort((a, b) => (a < b ? -1 : 1))).toEqual(positions);
      expect(r.text).not.toContain('$scrypt$');
    });

    it('filters by resource, type, event type, actor and time', async () => {
      expect(types(await audit(admin, `/events?resourceUuid=${template.uuid}`)))
        .toEqual(['PreconfigurationTemplateAdded', 'PreconfigurationTemplateUpdated', 'TemplateStateChanged']);
      const added = await audit(admin, '/events?eventType=PreconfigurationTemplateAdded&resourceType=PreconfigurationTemplate');
      expect(added.json.events.map((e: any) => e.data.name)).toContain('audited');
      const byAlice = await audit(admin, `/events?accountUuid=${aliceUuid}`);
      expect(types(byAlice)).toEqual(['LoginSucceeded', 'AccessKeyCreated']);
      const since = await audit(admin, `/events?from=${encodeURIComponent(marks.beforeTemplate)}&resourceType=PreconfigurationTemplate`);
      expect(since.json.events.every((e: any) => e.resourceUuid === template.uuid)).toBe(true);
      const until = await audit(admin, `/events?to=${encodeURIComponent(marks.beforeTemplate)}&resourceType=PreconfigurationTemplate`);
      expect(until.json.events.some((e: any) => e.resourceUuid === template.uuid)).toBe(false);
    });

    it('pages by position across a page boundary; a position beyond the end is an empty page', async () => {
      const all = await audit(admin, '/events?limit=1000');
      const first = await audit(admin, '/events?limit=3');
      expect(first.json.events).toEqual(all.json.events.slice(0, 3));
      const second = await audit(admin, `/events?limit=3&after=${first.json.next}`);
      expect(second.json.events).toEqual(all.json.events.slice(3, 6));
      const beyond = await audit(admin, '/events?after=999999999');
      expect(beyond.json).toEqual({ events: [], next: null });
      expect(all.json.next).toBeNull();
    });

    it('names the parameter of every bad filter', async () => {
      bad(await audit(admin, '/events?limit=0'), 'limit');
      bad(await audit(admin, '/events?limit=1001'), 'limit');
      bad(await audit(admin, '/events?after=-1'), 'after');
      bad(await audit(admin, '/events?from=yesterday'), 'from');
      bad(await audit(admin, '/events?to=2026-13-45T00:00:00Z'), 'to');
      bad(await audit(admin, '/events?resourceType=VM'), 'resourceType');
      bad(await audit(admin, '/events?resourceUuid=xyz'), 'resourceUuid');
      bad(await audit(admin, '/events?accountUuid=42'), 'accountUuid');
      bad(await audit(admin, '/events?sort=desc'), 'sort');
      expect((await new ZStackClient(stack.baseUrl).send('GET', '/api/v1/audit/events')).status).toBe(401);
    });

    it('shows a normal account the events of its own resources only', async () => {
      const mine = await audit(alice, '/events');
      expect(new Set(mine.json.events.map((e: any) => e.resourceType))).toEqual(new Set(['Account', 'AccessKey']));
      expect(mine.json.events.every((e: any) => e.resourceUuid === aliceUuid || e.data.accountUuid === aliceUuid)).toBe(true);
      expect((await audit(alice, `/events?resourceUuid=${template.uuid}`)).json.events).toEqual([]);
      expect((await audit(alice, '/events?resourceType=Login')).json.events).toEqual([]);
      expect((await audit(admin, '/events?resourceType=Login')).json.events.length).toBeGreaterThan(0);
    });
  });

  describe('history and asOf', () => {
    it('gives a resource history with the inventory after each event', async () => {
      const r = await audit(admin, `/resources/${template.uuid}/history`);
      expect(r.json.history.map((h: any) => [h.type, h.inventory?.name, h.inventory?.state])).toEqual([
        ['PreconfigurationTemplateAdded', 'audited', 'Enabled'],
        ['PreconfigurationTemplateUpdated', 'audited-2', 'Enabled'],
        ['TemplateStateChanged', 'audited-2', 'Disabled'],
      ]);
      expect(r.json.history[0].actor).toEqual({ accountUuid: ADMIN_ACCOUNT_UUID, via: 'rest' });
      expect((await audit(alice, `/resources/${template.uuid}/history`)).status).toBe(404);
      const own = await audit(alice, `/resources/${aliceUuid}/history`);
      expect(own.json.history[0].inventory).toMatchObject({ uuid: aliceUuid, name: 'alice' });
      expect(JSON.stringify(own.json)).not.toContain('passwordHash');
    });

    it('answers the inventory as of a position (inclusive) or a time; 404 before it existed', async () => {
      const history = (await audit(admin, `/resources/${template.uuid}/history`)).json.history;
      const atUpdate = await audit(admin, `/resources/${template.uuid}?asOf=${history[1].position}`);
      expect(atUpdate.json).toMatchObject({ position: history[1].position, inventory: { name: 'audited-2', state: 'Enabled' } });
      const atTime = await audit(admin, `/resources/${template.uuid}?asOf=${encodeURIComponent(history[0].occurredAt)}`);
      expect(atTime.json.inventory.name).toBe('audited');
      expect((await audit(admin, `/resources/${template.uuid}?asOf=${encodeURIComponent(marks.beforeTemplate)}`)).status).toBe(404);
      expect((await audit(admin, `/resources/${template.uuid}?asOf=1`)).status).toBe(404);
      bad(await audit(admin, `/resources/${template.uuid}?asOf=soon`), 'asOf');
      const now = await audit(admin, `/resources/${template.uuid}?asOf=${encodeURIComponent(new Date().toISOString())}`);
      expect(now.json.inventory.state).toBe('Disabled');
    });
  });

  describe('the NATS bus', () => {
    it('answers audit.query.QueryAuditEvents as the REST API does', async () => {
      const nc = await connectNats(stack.nats.url, 'audit-client');
      try {
        const reply = await new BusClient(nc).request('audit.query.QueryAuditEvents', {
          commandId: randomUUID().replace(/-/g, ''), auth: { sessionUuid: admin.session }, payload: { resourceUuid: template.uuid },
        }, 5000);
        expect(reply.ok && (reply.result as any).events.length).toBe(3);
      } finally {
        await nc.drain();
      }
    });
  });

  describe('event versioning', () => {
    it('reads a version-1 event as first written in the current shape, in the audit, the history and a replay', async () => {
      const nc = await connectNats(stack.nats.url, 'old-writer');
      try {
        // Written as baremetal-svc first wrote TemplateStateChanged: no `stateEvent`, schema version 1.
        const raw = await rawStoreOf(storeEnv, nc, 'baremetal');
        const id = randomUUID().replace(/-/g, '');
        await raw.append(`preconfigtemplate-${template.uuid}`, [{ type: 'TemplateStateChanged', schemaVersion: 1, data: { uuid: template.uuid, state: 'Enabled', lastOpDate: new Date().toISOString() } }], 'any', {
          commitId: id, metadata: { commandId: id, correlationId: id, causationId: id, actor: { accountUuid: ADMIN_ACCOUNT_UUID, via: 'nats' }, occurredAt: new Date().toISOString() },
        });
        const stored = (await raw.readStream(`preconfigtemplate-${template.uuid}`)).events.map((e) => [e.schemaVersion, e.data.stateEvent]);
        expect(stored).toEqual([[1, undefined], [1, undefined], [2, 'disable'], [1, undefined]]);
        await raw.close();
      } finally {
        await nc.drain();
      }
      const events = (await audit(admin, `/events?resourceUuid=${template.uuid}&eventType=TemplateStateChanged`)).json.events;
      expect(events.map((e: any) => [e.schemaVersion, e.data.stateEvent])).toEqual([[2, 'disable'], [2, 'enable']]);
      const history = (await audit(admin, `/resources/${template.uuid}/history`)).json.history;
      expect(history.at(-1).inventory.state).toBe('Enabled');
      await stack.stopBaremetal();
      await stack.startBaremetal();
      const replayed = await admin.send('GET', `/zstack/v1/baremetal/preconfigurations/${template.uuid}`);
      expect(replayed.json.inventories[0].state).toBe('Enabled');
    });
  });

  describe('NDJSON export', () => {
    it('streams 10,000 events, and stops reading the log as soon as the client goes away', async () => {
      const nc = await connectNats(stack.nats.url, 'bulk-writer');
      const spy = nc.subscribe('audit.query.QueryAuditEvents');
      let pages = 0;
      void (async () => {
        for await (const _ of spy) pages++;
      })();
      try {
        const store = await rawStoreOf(storeEnv, nc, 'identity');
        const appends = [];
        for (let i = 0; i < 10_000; i++) {
          const id = randomUUID().replace(/-/g, '');
          appends.push(store.append(`account-${aliceUuid}`, [{ type: 'AccountUpdated', data: { uuid: aliceUuid, description: `bulk ${i}`, lastOpDate: new Date().toISOString() } }], 'any', {
            commitId: id, metadata: { commandId: id, correlationId: id, causationId: id, actor: { accountUuid: ADMIN_ACCOUNT_UUID, via: 'nats' }, occurredAt: new Date().toISOString() },
          }));
          if (appends.length === 500) await Promise.all(appends.splice(0));
        }
        await Promise.all(appends);
        await store.close();

        const res = await fetch(`${stack.baseUrl}/api/v1/audit/events?resourceType=Account&eventType=AccountUpdated`, {
          headers: { Authorization: `Bearer ${admin.session}`, Accept: 'application/x-ndjson' },
        });
        expect(res.headers.get('content-type')).toContain('application/x-ndjson');
        const lines = (await res.text()).trim().split('\n').map((l) => JSON.parse(l));
        expect(lines.length).toBeGreaterThanOrEqual(10_000);
        expect(lines.filter((e) => String(e.data.description).startsWith('bulk ')).length).toBe(10_000);
        expect(lines.every((e, i) => i === 0 || BigInt(e.position) > BigInt(lines[i - 1].position))).toBe(true);

        const before = pages;
        // A client that reads the first chunk and hangs up (its socket closed).
        await new Promise<void>((resolve, reject) => {
          const url = new URL(`${stack.baseUrl}/api/v1/audit/events`);
          const req = httpGet(url, { headers: { Authorization: `Bearer ${admin.session}`, Accept: 'application/x-ndjson' } }, (res) => {
            res.once('data', () => {
              req.destroy();
              resolve();
            });
          });
          req.on('error', (error) => ((error as NodeJS.ErrnoException).code === 'ECONNRESET' ? resolve() : reject(error)));
        });
        await new Promise((r) => setTimeout(r, 1000));
        // A whole export of this log is more than 10 pages of 1,000; an abandoned one stops after a page or two.
        expect(pages - before).toBeLessThanOrEqual(3);
      } finally {
        spy.unsubscribe();
        await nc.drain();
      }
    });
  });
});
