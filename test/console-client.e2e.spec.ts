import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiClient } from '../apps/console/src/api/client';
import { ApiError, UnavailableError } from '../apps/console/src/api/errors';
import { ADMIN_PASSWORD, TestStack } from './support/stack';
import { createHash } from 'node:crypto';

/**
 * The console's typed client (apps/console/src/api/client.ts) against the real gateway, from node:
 * both wires, the ZStack job protocol (FAST_PATH_MS=1: every command answers 202 and is polled),
 * query conditions and paging, the errors as ApiError, an ended session reported, and a proxy's bare
 * 503 or no server at all as UnavailableError.
 */
let stack: TestStack;
let session: string | null = null;
const ended: string[] = [];
let client: ApiClient;
const sha512 = (text: string) => createHash('sha512').update(text).digest('hex');
/** Every request the client sent: method, URL, headers. */
const sent: { method: string; url: string; headers: Record<string, string> }[] = [];

beforeAll(async () => {
  stack = await TestStack.start({ env: { FAST_PATH_MS: '1' } });
  client = new ApiClient({
    baseUrl: stack.baseUrl, session: () => session, onSessionInvalid: (e) => ended.push(e.code), pollIntervalMs: 50,
    fetch: (url, init) => {
      sent.push({ method: init.method ?? 'GET', url, headers: init.headers as Record<string, string> });
      return fetch(url, init);
    },
  });
});

afterAll(async () => {
  await stack?.stop();
});

describe("the console's API client", () => {
  it('logs in on the ZStack wire (the body under its key) and refuses a wrong password with the API error', async () => {
    await expect(client.call('LogInByAccount', { accountName: 'admin', password: sha512('wrong') })).rejects.toMatchObject({
      code: 'ID.1000', status: 503, description: expect.any(String),
    });
    const reply = await client.call<'LogInByAccount', { inventory: { uuid: string; accountUuid: string } }>(
      'LogInByAccount', { accountName: 'admin', password: ADMIN_PASSWORD },
    );
    session = reply.inventory.uuid;
    expect(session).toMatch(/^[0-9a-f]{32}$/);
  });

  it('runs a ZStack command through the job protocol (202, then polled) and reads it back with q= conditions and paging', async () => {
    const created = await client.call<'CreateAccount', { inventory: { uuid: string; name: string } }>(
      'CreateAccount', { name: 'client-e2e-1', password: sha512('pw-1') },
    );
    expect(created.inventory.name).toBe('client-e2e-1');
    const post = sent.find((r) => r.method === 'POST' && r.url.endsWith('/zstack/v1/accounts'))!;
    expect(post.headers.authorization).toBe(`OAuth ${session}`);
    expect(post.headers['x-job-uuid']).toMatch(/^[0-9a-f]{32}$/);
    expect(sent.some((r) => r.url.endsWith(`/zstack/v1/api-jobs/${post.headers['x-job-uuid']}`))).toBe(true);
    await client.call('CreateAccount', { name: 'client-e2e-2', password: sha512('pw-2') });
    const both = await client.call<'QueryAccount', { inventories: { name: string }[]; total?: number }>(
      'QueryAccount', {} as never, { query: { conditions: ['name~=client-e2e-%'], sort: '-name', limit: 1, replyWithCount: true } },
    );
    expect(both.inventories.map((a) => a.name)).toEqual(['client-e2e-2']);
    expect(both.total).toBe(2);
    expect(sent[sent.length - 1].url).toBe(`${stack.baseUrl}/zstack/v1/accounts?q=name%7E%3Dclient-e2e-%25&limit=1&replyWithCount=true&sort=-name`);
    // A path param picks the optional path `/accounts/{uuid}`.
    const one = await client.call<'QueryAccount', { inventories: { name: string }[] }>('QueryAccount', { uuid: created.inventory.uuid } as never);
    expect(one.inventories.map((a) => a.name)).toEqual(['client-e2e-1']);
    // A command refused: the error comes through the poll, as an ApiError.
    await expect(client.call('CreateAccount', { name: 'client-e2e-1', password: sha512('pw-1') })).rejects.toBeInstanceOf(ApiError);
  });

  it('calls /api/v1 routes with Bearer, query parameters and path params; errors keep their HTTP status', async () => {
    const list = await client.call<'ListPlatforms', { platforms: unknown[]; total: number }>('ListPlatforms', { limit: '5', offset: '0' } as never);
    expect(list).toEqual({ platforms: [], total: 0 });
    const get = sent[sent.length - 1];
    expect([get.url, get.headers.authorization]).toEqual([`${stack.baseUrl}/api/v1/platforms?limit=5&offset=0`, `Bearer ${session}`]);
    await expect(client.call('GetPlatform', { uuid: 'a'.repeat(32) })).rejects.toMatchObject({ code: 'SYS.1003', status: 404 });
    await expect(client.call('ListPlatforms', { productType: 'nope' } as never)).rejects.toMatchObject({ code: 'SYS.1007', status: 400 });
  });

  it('reports a session that is no longer valid (ID.1001) to onSessionInvalid', async () => {
    await client.call('LogOut', { sessionUuid: session! });
    expect(ended).toEqual([]);
    await expect(client.call('ListPlatforms', {})).rejects.toMatchObject({ code: 'ID.1001', status: 401 });
    await expect(client.call('QueryAccount', {} as never)).rejects.toMatchObject({ code: 'ID.1001' });
    expect(ended).toEqual(['ID.1001', 'ID.1001']);
  });

  it('turns no server, or a proxy answering 503 without an API error, into UnavailableError', async () => {
    const proxy: Server = createServer((_req, res) => res.writeHead(503, { 'content-type': 'text/html' }).end('<h1>503 Service Unavailable</h1>'));
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const behindProxy = new ApiClient({ baseUrl: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, session: () => null });
      await expect(behindProxy.call('ListPlatforms', {})).rejects.toBeInstanceOf(UnavailableError);
    } finally {
      await new Promise((resolve) => proxy.close(resolve));
    }
    const nowhere = new ApiClient({ baseUrl: 'http://127.0.0.1:1', session: () => null });
    await expect(nowhere.call('LogInByAccount', { accountName: 'admin', password: ADMIN_PASSWORD })).rejects.toBeInstanceOf(UnavailableError);
  });
});
