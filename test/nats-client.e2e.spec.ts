import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ControlPlaneClient } from '@cp/client';
import { ZStackError } from '@cp/contracts';
import { ADMIN_PASSWORD, TestStack } from './support/stack';

const sha512 = (text: string) => createHash('sha512').update(text).digest('hex');
const ROOT = join(__dirname, '..');

let stack: TestStack;
let client: ControlPlaneClient;

beforeAll(async () => {
  stack = await TestStack.start();
  client = await ControlPlaneClient.connect(stack.nats.url);
});

afterAll(async () => {
  await client?.close();
  await stack?.stop();
});

interface Inventory { uuid: string; name: string; description?: string }

describe('the typed NATS client (libs/client), as internal systems use it', () => {
  it('calls APIs by their registry name: a command, then a query that reads its write', async () => {
    const login = await client.call<'LogInByAccount', { inventory: Inventory }>('LogInByAccount', { accountName: 'admin', password: ADMIN_PASSWORD });
    const session = login.inventory.uuid;
    const created = await client.call<'CreateAccount', { inventory: Inventory }>('CreateAccount', { name: 'typed-client', password: sha512('pw') }, { session });
    expect(created.position).toMatch(/^\d+$/);
    const query = { conditions: [{ field: 'name', op: '=', value: 'typed-client' }], limit: 10, start: 0, count: false, replyWithCount: true };
    const found = await client.call<'QueryAccount', { total: number; inventories: Inventory[] }>('QueryAccount', { query }, { session, minPosition: created.position });
    expect(found.total).toBe(1);
    expect(found.inventories[0].uuid).toBe(created.inventory.uuid);
  });

  it('throws the API error as a ZStackError with its code and text', async () => {
    const error = await client.call('CreateAccount', { name: 'no-session', password: sha512('pw') }).catch((e) => e);
    expect(error).toBeInstanceOf(ZStackError);
    expect(error.code).toBe('ID.1001');
    const invalid = await client.call('LogInByAccount', { accountName: 'admin' } as never).catch((e) => e);
    expect(invalid).toMatchObject({ code: 'SYS.1007', details: 'field[password] of message[APILogInByAccountMsg] is mandatory, can not be null' });
  });

  it('runs the documented example (docs/examples/nats-client.ts) to the end', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['-r', '@swc-node/register', 'docs/examples/nats-client.ts'], {
      cwd: ROOT, env: { ...process.env, NATS_URL: stack.nats.url }, timeout: 60_000,
    });
    expect(stdout).toMatch(/^logged in, session [0-9a-f]{32}$/m);
    expect(stdout).toMatch(/^query found 1:/m);
  });
});
