import { ADMIN_PASSWORD, TestStack } from './support/stack';
import { ZStackClient } from './support/zstack-client';

/** Sessions expire after SESSION_TIMEOUT_SEC without a call; every authenticated call renews them. */
let stack: TestStack;

beforeAll(async () => {
  stack = await TestStack.start({ env: { SESSION_TIMEOUT_SEC: '3' } });
});

afterAll(async () => {
  await stack?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('keeps a session alive while it is used (sliding expiry) and ends it after the timeout of silence', async () => {
  const client = new ZStackClient(stack.baseUrl);
  await client.login();
  for (let i = 0; i < 4; i++) {
    await sleep(1500);
    const r = await client.send('GET', '/zstack/v1/accounts');
    expect(r.status).toBe(200);
  }
  await sleep(3500);
  const r = await client.send('GET', '/zstack/v1/accounts');
  expect(r.status).toBe(503);
  expect(r.json.error.code).toBe('ID.1001');
  expect((await client.send('GET', `/zstack/v1/accounts/sessions/${client.session}/valid`)).json).toEqual({ valid: false });
});

it('limits the sessions of one account (identity.session.maxConcurrent)', async () => {
  await stack.stopIdentity();
  await stack.startIdentity({ ...stack.identityConfig, sessionMaxConcurrent: 2 });
  const client = new ZStackClient(stack.baseUrl);
  const outcomes = [];
  for (let i = 0; i < 3; i++) {
    outcomes.push(await client.send('PUT', '/zstack/v1/accounts/login', {
      body: { logInByAccount: { accountName: 'admin', password: ADMIN_PASSWORD } },
    }));
  }
  expect(outcomes.slice(0, 2).every((o) => o.status === 200)).toBe(true);
  expect(outcomes[2].status).toBe(503);
  expect(outcomes[2].json.error.code).toBe('ID.1006');
});

describe('the OpenAPI documents and the docs page, over HTTP', () => {
  it('serves both OpenAPI documents without a session', async () => {
    for (const [path, server] of [['/api/v1/openapi.json', '/api/v1'], ['/zstack/v1/openapi.json', '/zstack/v1']]) {
      const r = await fetch(`${stack.baseUrl}${path}`);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toMatch(/^application\/json/);
      const doc = (await r.json()) as { openapi: string; servers: unknown };
      expect(doc.openapi).toBe('3.1.0');
      expect(doc.servers).toEqual([{ url: server }]);
    }
    const zstack = (await (await fetch(`${stack.baseUrl}/zstack/v1/openapi.json`)).json()) as { paths: Record<string, Record<string, { operationId: string }>> };
    expect(zstack.paths['/accounts'].post.operationId).toBe('CreateAccount');
    // The API routes around them are unchanged.
    const unknown = await fetch(`${stack.baseUrl}/zstack/v1/openapi.yaml`);
    expect([unknown.status, await unknown.text()]).toEqual([404, 'no api mapping to /zstack/v1/openapi.yaml']);
  });

  it('routes every operation of both documents: none is answered as an unknown path or method', async () => {
    const uuid = '0123456789abcdef0123456789abcdef';
    let count = 0;
    for (const prefix of ['/api/v1', '/zstack/v1']) {
      const doc = (await (await fetch(`${stack.baseUrl}${prefix}/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
      for (const [path, item] of Object.entries(doc.paths)) {
        for (const method of Object.keys(item)) {
          // No credential: the routes refuse before any service changes anything (the login APIs refuse an empty body).
          const r = await fetch(`${stack.baseUrl}${prefix}${path.replace(/\{\w+\}/g, uuid)}`, { method: method.toUpperCase() });
          const text = await r.text();
          expect([method, path, r.status, text]).not.toEqual([method, path, 405, expect.anything()]);
          expect(text).not.toMatch(/no api mapping to|no API at/);
          count++;
        }
      }
    }
    expect(count).toBeGreaterThan(30);
  });

  it('serves the docs page, its initializer and the Swagger UI files from the gateway, under a CSP without inline scripts', async () => {
    const page = await fetch(`${stack.baseUrl}/api/v1/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const directives = (page.headers.get('content-security-policy') ?? '').split(';').map((d) => d.trim());
    const scriptSrc = directives.find((d) => d.startsWith('script-src'));
    expect(scriptSrc).toBe("script-src 'self'");
    const html = await page.text();
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.every(([, attributes, body]) => /src="\/api\/v1\/docs\//.test(attributes) && body.trim() === '')).toBe(true);
    const files = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(files).toEqual(expect.arrayContaining(['/api/v1/docs/docs-initializer.js', '/api/v1/docs/swagger-ui-bundle.js', '/api/v1/docs/swagger-ui.css']));
    for (const file of files) {
      const r = await fetch(`${stack.baseUrl}${file}`);
      expect([file, r.status]).toEqual([file, 200]);
      expect((await r.arrayBuffer()).byteLength).toBeGreaterThan(0);
      if (file.endsWith('.js')) expect(r.headers.get('content-type')).toMatch(/^application\/javascript/);
    }
    const initializer = await (await fetch(`${stack.baseUrl}/api/v1/docs/docs-initializer.js`)).text();
    expect(initializer).toContain('/api/v1/openapi.json');
    expect(initializer).toContain('/zstack/v1/openapi.json');
  });
});
