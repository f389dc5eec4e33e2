import { spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { connectNats } from '@cp/bus';
import { ADMIN_ACCOUNT_UUID } from '@cp/contracts';
import type { Projection } from '@cp/event-store';
import { AccountReadModel } from '@cp/read-models/identity';
import { ACCOUNT_PROJECTION } from '../apps/identity-svc/src/tokens';
import { e2eEventStores, rawStoreOf } from './support/event-stores';
import { TestStack } from './support/stack';
import { ZStackClient } from './support/zstack-client';

/** Checkpoints, the live rebuild and swap, and `npm run replay -- --verify` against a real stack. */

describe.each(e2eEventStores())('on $name', ({ env: storeEnv }) => {
  let stack: TestStack;
  let admin: ZStackClient;
  const accounts: string[] = [];

  beforeAll(async () => {
    stack = await TestStack.start({ env: { ...storeEnv, CHECKPOINT_INTERVAL_SEC: '1' } });
    admin = new ZStackClient(stack.baseUrl);
    await admin.login();
    for (const name of ['cp-1', 'cp-2', 'cp-3']) {
      const r = await admin.job('POST', '/zstack/v1/accounts', { params: { name, password: createHash('sha512').update(name).digest('hex') } });
      accounts.push(r.json.inventory.uuid);
    }
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const projection = () => stack.identityApp().get<symbol, Projection>(ACCOUNT_PROJECTION);

  async function appendUpdate(uuid: string, description: string): Promise<bigint> {
    const nc = await connectNats(stack.nats.url, 'raw-writer');
    try {
      const id = randomUUID().replace(/-/g, '');
      const store = await rawStoreOf(storeEnv, nc, 'identity');
      const r = await store.append(`account-${uuid}`, [{
        type: 'AccountUpdated', data: { uuid, description, lastOpDate: new Date().toISOString() },
      }], 'any', { commitId: id, metadata: { commandId: id, correlationId: id, causationId: id, actor: { accountUuid: ADMIN_ACCOUNT_UUID, via: 'nats' }, occurredAt: new Date().toISOString() } });
      await store.close();
      return r.position;
    } finally {
      await nc.drain();
    }
  }

  function replay(args: string[]): Promise<{ code: number; output: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, ['-r', '@swc-node/register', 'scripts/replay.ts', ...args, '--nats', stack.nats.url], {
        env: { ...process.env, ...storeEnv, CP_ADMIN_PASSWORD: 'password' }, stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (c) => (output += c));
      child.stderr.on('data', (c) => (output += c));
      child.on('exit', (code) => resolve({ code: code ?? -1, output }));
    });
  }

  describe('checkpoints', () => {
    it('resumes identity-svc from its checkpoint: a restart applies only the events after it', async () => {
      await projection().saveCheckpoint();
      await stack.stopIdentity();
      const position = await appendUpdate(accounts[0], 'written while identity-svc was down');
      await stack.startIdentity();
      const p = projection();
      expect(p.resumedFrom).not.toBeNull();
      expect(p.resumedFrom! < position).toBe(true);
      expect(p.eventsApplied).toBe(1);
      const r = await admin.send('GET', `/zstack/v1/accounts/${accounts[0]}`);
      expect(r.json.inventories[0].description).toBe('written while identity-svc was down');
      expect((await admin.send('GET', '/zstack/v1/accounts?count=true')).json.total).toBe(4);
    });
  });

  describe('live rebuild', () => {
    it('rebuilds every identity read model beside the live ones and swaps them in, with no failed or stale query', async () => {
      const expected = (await admin.send('GET', '/zstack/v1/accounts?sort=name&fields=uuid,name,description')).text;
      let stop = false;
      let queries = 0;
      const wrong: string[] = [];
      const load = (async () => {
        while (!stop) {
          const r = await admin.send('GET', '/zstack/v1/accounts?sort=name&fields=uuid,name,description');
          queries++;
          if (r.status !== 200 || r.text !== expected) wrong.push(`${r.status} ${r.text.slice(0, 120)}`);
        }
      })();
      const nc = await connectNats(stack.nats.url, 'rebuild');
      try {
        await new Promise((r) => setTimeout(r, 200));
        const msg = await nc.request('identity.cmd.RebuildReadModels', Buffer.from(JSON.stringify({
          commandId: randomUUID().replace(/-/g, ''), auth: { sessionUuid: admin.session }, payload: {},
        })), { timeout: 30_000 });
        const reply = JSON.parse(Buffer.from(msg.data).toString());
        expect(reply.ok).toBe(true);
        expect(Object.keys(reply.result.rebuilt)).toEqual(['identity.accounts', 'identity.iam2-virtual-ids', 'identity.access-keys']);
        expect(reply.result.rebuilt['identity.accounts'].events).toBeGreaterThanOrEqual(5);
        await new Promise((r) => setTimeout(r, 200));
      } finally {
        stop = true;
        await load;
        await nc.drain();
      }
      expect(queries).toBeGreaterThan(5);
      expect(wrong).toEqual([]);
    });
  });

  describe('npm run replay', () => {
    it('rebuilds with --to, and --verify finds no drift, then exactly the drift a test introduces', async () => {
      const partial = await replay(['--context', 'identity', '--to', '2']);
      expect(partial.code).toBe(0);
      expect(partial.output).toMatch(/identity: \d+ events replayed/);
      const clean = await replay(['--verify']);
      expect(clean.output).toContain('verified: no drift');
      expect(clean.code).toBe(0);
      // Drift on purpose: the live model says something the log does not.
      const model = stack.identityApp().get(AccountReadModel) as unknown as { rows: Map<string, { state: any; version: bigint }> };
      const row = model.rows.get(accounts[1])!;
      model.rows.set(accounts[1], { ...row, state: { ...row.state, inventory: { ...row.state.inventory, description: 'tampered' } } });
      const drifted = await replay(['--verify', '--context', 'identity']);
      expect(drifted.code).toBe(1);
      expect(drifted.output).toContain(`DRIFT identity.accounts: ${accounts[1]} differs at state.inventory.description: live "tampered"`);
      // A live rebuild puts the log's truth back.
      const nc = await connectNats(stack.nats.url, 'rebuild-after-drift');
      try {
        await nc.request('identity.cmd.RebuildReadModels', Buffer.from(JSON.stringify({
          commandId: randomUUID().replace(/-/g, ''), auth: { sessionUuid: admin.session }, payload: {},
        })), { timeout: 30_000 });
      } finally {
        await nc.drain();
      }
      const repaired = await replay(['--verify', '--context', 'identity']);
      expect(repaired.code).toBe(0);
    });
  });
});
