import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestStack } from './support/stack';
import { CONSOLE_CSP } from '../apps/gateway/src/console/console-files';

/** A raw GET: the path as written (fetch would normalise `..` away). */
function rawGet(baseUrl: string, path: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The gateway serving a built console (CONSOLE_DIR: files written here, no vite needed) at /console. */
describe('the console at /console', () => {
  let stack: TestStack;
  let dir: string;
  const INDEX = '<!doctype html><html><head><script type="module" src="/console/assets/index-AbC123.js"></script></head><body><div id="root"></div></body></html>';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cp-console-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), INDEX);
    writeFileSync(join(dir, 'assets', 'index-AbC123.js'), 'console.log("console");\n');
    writeFileSync(join(dir, 'assets', 'index-XyZ789.css'), 'body{margin:0}\n');
    writeFileSync(join(dir, 'secret.txt'), 'not served\n');
    stack = await TestStack.start({ env: { CONSOLE_DIR: dir } });
  });

  afterAll(async () => {
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const expectSecurityHeaders = (headers: Headers | Record<string, unknown>) => {
    const get = (name: string) => (headers instanceof Headers ? headers.get(name) : headers[name]);
    expect(get('content-security-policy')).toBe(CONSOLE_CSP);
    expect(get('x-content-type-options')).toBe('nosniff');
    expect(get('referrer-policy')).toBe('no-referrer');
  };

  it('answers index.html at /console and at every SPA route, revalidated each time, with the security headers, without a session', async () => {
    for (const path of ['/console', '/console/', '/console/platforms', '/console/platforms/0123abcd/history?x=1', '/console/index.html']) {
      const res = await fetch(`${stack.baseUrl}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expectSecurityHeaders(res.headers);
      expect(await res.text()).toBe(INDEX);
    }
  });

  it('serves the hashed files under assets/ cached for a year, typed', async () => {
    const js = await fetch(`${stack.baseUrl}/console/assets/index-AbC123.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expectSecurityHeaders(js.headers);
    expect(await js.text()).toBe('console.log("console");\n');
    const css = await fetch(`${stack.baseUrl}/console/assets/index-XyZ789.css`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    // A file that is not there is a 404, not the page (a stale hashed name must not get HTML).
    const missing = await fetch(`${stack.baseUrl}/console/assets/index-Gone00.js`);
    expect(missing.status).toBe(404);
    expectSecurityHeaders(missing.headers);
  });

  it('refuses paths that leave the folder (404)', async () => {
    for (const path of [
      '/console/assets/../secret.txt', '/console/assets/%2e%2e/secret.txt', '/console/assets/..%2fsecret.txt',
      '/console/../console/secret.txt', '/console/assets/%2e%2e%2f%2e%2e%2fpackage.json', '/console/assets/..%5csecret.txt',
      '/console/%2e%2e/%2e%2e/etc/passwd',
    ]) {
      const res = await rawGet(stack.baseUrl, path);
      expect([res.status, path]).toEqual([404, path]);
      expect(res.body).not.toContain('not served');
    }
  });

  it('leaves the APIs as they were', async () => {
    const res = await fetch(`${stack.baseUrl}/zstack/v1/accounts`);
    expect(res.headers.get('content-security-policy')).toBeNull();
    expect(res.status).not.toBe(200);
  });

  it('answers 503 with a plain text saying how to build it when the console is not built', async () => {
    renameSync(join(dir, 'index.html'), join(dir, 'index.html.aside'));
    try {
      for (const path of ['/console', '/console/platforms', '/console/assets/index-Gone00.js']) {
        const res = await fetch(`${stack.baseUrl}${path}`);
        expect(res.status).toBe(503);
        expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
        expectSecurityHeaders(res.headers);
        expect(await res.text()).toContain('npm run build');
      }
    } finally {
      renameSync(join(dir, 'index.html.aside'), join(dir, 'index.html'));
    }
  });
});
