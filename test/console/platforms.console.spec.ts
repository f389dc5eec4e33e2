import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { selfSignedCertificate, startFakeVSphere, type FakeVSphere } from '../support/fake-clouds';
import {
  CONSOLE_BUILD_DIR, VSPHERE, axeScan, createAccount, login, recordFigure, screenshot, startConsoleHarness, type ConsoleHarness,
} from './harness';

/**
 * The overview and the platforms pages against a real stack and a fake vSphere: the admin creates a
 * vmware platform through the wizard (a failing TLS test first: six steps, success / failure / skipped),
 * opens its health history chart, edits it; a normal account sees no admin-only action; axe on every
 * page; screenshots of each. Also the first load's figures (bundle size, load time).
 */
let h: ConsoleHarness;
let admin: Page;
let tlsVSphere: FakeVSphere;
let platformUuid = '';

beforeAll(async () => {
  h = await startConsoleHarness({ env: { HEALTH_PROBE_INTERVAL_SEC: '1', CONNECT_STEP_TIMEOUT_MS: '1500', CONNECT_TIMEOUT_MS: '5000' } });
  tlsVSphere = await startFakeVSphere(VSPHERE.user, VSPHERE.password, 0, selfSignedCertificate());
  admin = await h.newPage();
}, 120_000);

afterAll(async () => {
  await tlsVSphere?.close();
  await h?.close();
});

afterEach(() => {
  expect(h.problems).toEqual([]);
});

/** Waits (over the API) until the platform's health is `health`. */
async function healthBecomes(health: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const r = await h.admin.send('GET', `/api/v1/platforms/${platformUuid}`, { headers: { Authorization: `Bearer ${h.admin.session}` } });
    if (r.json?.healthStatus === health) return;
    if (Date.now() > deadline) throw new Error(`the platform stayed ${r.json?.healthStatus}, not ${health}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('the console: overview and platforms', () => {
  it('loads the login page quickly and small (the entry page JS + CSS, gzipped)', async () => {
    const html = readFileSync(join(CONSOLE_BUILD_DIR, 'index.html'), 'utf8');
    const files = [...html.matchAll(/(?:src|href)="\/console\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
    const gzip = files.reduce((sum, f) => sum + gzipSync(readFileSync(join(CONSOLE_BUILD_DIR, f))).length, 0);
    const raw = files.reduce((sum, f) => sum + readFileSync(join(CONSOLE_BUILD_DIR, f)).length, 0);
    const page = await h.newPage();
    await page.goto(h.consoleUrl);
    await page.getByRole('heading', { name: 'Log in to the control plane' }).waitFor();
    const timing = await page.evaluate<{ domContentLoaded: number; load: number }>(
      `(() => { const n = performance.getEntriesByType('navigation')[0]; return { domContentLoaded: Math.round(n.domContentLoadedEventEnd), load: Math.round(n.loadEventEnd) }; })()`,
    );
    const ready = await page.evaluate<number>('Math.round(performance.now())');
    const figures = { entryFiles: files, rawBytes: raw, gzipBytes: gzip, ...timing, loginFormShownMs: ready };
    recordFigure('firstLoad', figures);
    process.stdout.write(`console first load: ${JSON.stringify(figures)}\n`);
    expect(gzip).toBeLessThan(400 * 1024);
    await page.context().close();
  });

  it('shows the overview to the admin: platforms by health, the latest changes, the read models', async () => {
    await login(admin, h.consoleUrl, 'admin', 'password');
    await admin.getByRole('heading', { name: 'Overview' }).waitFor();
    await admin.getByTestId('health-counts').waitFor();
    await admin.getByTestId('read-models').waitFor();
    // The admin's login is the newest change (a session is no audit event; the account creations of the harness are).
    await admin.getByRole('heading', { name: 'Latest changes' }).waitFor();
    await admin.getByText(/The newest \d+|No change in/).waitFor();
    for (const service of ['identity', 'platform', 'audit']) {
      expect(await admin.getByTestId('read-models').getByRole('cell', { name: service, exact: true }).count()).toBe(1);
    }
    // Each service's read-model lag, from its Health reply through the gateway's /health.
    expect(await admin.getByTestId('read-models').getByRole('cell', { name: /^caught up \(\d+ models?\)$/ }).count()).toBeGreaterThanOrEqual(3);
    await axeScan(admin, 'the overview');
    await screenshot(admin, 'overview');
  });

  it('runs the create wizard: a failing TLS test shows six steps, then a passing test and the create', async () => {
    await admin.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Platforms' }).click();
    await admin.getByRole('heading', { name: 'Platforms' }).waitFor();
    await admin.getByText(/\d+ platforms?/).waitFor();
    await axeScan(admin, 'the platforms list (empty)');
    await admin.getByRole('link', { name: 'New platform' }).click();
    await admin.getByRole('heading', { name: 'New platform' }).waitFor();
    await admin.getByLabel(/^Name/).fill('vsphere-lab');
    await admin.getByLabel(/^Host/).fill('127.0.0.1');
    await admin.getByLabel(/^Port/).fill(String(tlsVSphere.port));
    await admin.getByLabel(/^Username/).fill(VSPHERE.user);
    await admin.getByLabel(/^Password/).fill(VSPHERE.password);
    await axeScan(admin, 'the create wizard');
    await screenshot(admin, 'wizard-connection');
    // https with a self-signed certificate: the TLS step fails, the steps after it are skipped.
    await admin.getByRole('button', { name: 'Test the connection' }).click();
    const steps = admin.getByTestId('connection-steps');
    await steps.waitFor();
    const rows = async () => steps.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-step'), tr.querySelectorAll('td')[1]?.textContent]));
    expect(await rows()).toEqual([
      ['dns_lookup', 'success'], ['tcp_connect', 'success'], ['tls_handshake', 'failure'], ['api_reachable', 'skipped'], ['authenticate', 'skipped'],
      ['permission_check', 'skipped'],
    ]);
    expect(await admin.getByTestId('recommendation').textContent()).toMatch(/certificate/i);
    await admin.getByRole('button', { name: 'Create anyway' }).waitFor();
    await axeScan(admin, 'the wizard\'s test step');
    await screenshot(admin, 'wizard-test-failed');
    // Back: plain http to the other vSphere, which passes every step it has (no TLS step over http).
    await admin.getByRole('button', { name: 'Back' }).click();
    await admin.getByLabel(/^Port/).fill(String(h.vsphere.port));
    await admin.getByRole('switch', { name: 'Use TLS (https)' }).uncheck();
    await admin.getByRole('button', { name: 'Test the connection' }).click();
    await admin.getByRole('button', { name: 'Create the platform' }).waitFor();
    expect(await rows()).toEqual([
      ['dns_lookup', 'success'], ['tcp_connect', 'success'], ['api_reachable', 'success'], ['authenticate', 'success'], ['permission_check', 'success'],
    ]);
    await screenshot(admin, 'wizard-test-passed');
    await admin.getByRole('button', { name: 'Create the platform' }).click();
    await admin.getByRole('heading', { name: 'vsphere-lab' }).waitFor();
    await admin.getByText('Platform created').waitFor();
    platformUuid = admin.url().split('/').pop()!;
    expect(platformUuid).toMatch(/^[0-9a-f]{32}$/);
    expect(await admin.getByTestId('platform-details').textContent()).toContain(`http://127.0.0.1:${h.vsphere.port}`);
  });

  it('shows the platform page with its health history chart and table, through an outage of the vSphere', async () => {
    const chart = admin.getByRole('img', { name: /Health history of vsphere-lab/ });
    await chart.waitFor();
    expect(await admin.getByTestId('health-history-table').locator('tbody tr').count()).toBe(1);
    expect(await admin.getByTestId('health-history-table').textContent()).toContain('health healthy');
    // The vSphere goes away and comes back on its port: the monitor's probes (every second here) record it.
    const port = h.vsphere.port;
    await h.vsphere.close();
    await healthBecomes('unhealthy');
    h.vsphere = await startFakeVSphere(VSPHERE.user, VSPHERE.password, port);
    await healthBecomes('healthy');
    await admin.reload();
    await chart.waitFor();
    const table = await admin.getByTestId('health-history-table').textContent();
    for (const change of ['health degraded', 'health unhealthy', 'status disconnected', 'status connected']) expect(table).toContain(change);
    expect(await chart.locator('desc').textContent()).toMatch(/currently healthy; [1-9]\d* status changes/);
    await axeScan(admin, 'the platform page');
    await screenshot(admin, 'platform');
  });

  it('edits the platform (UpdatePlatform) and lists it with its health badge and filters', async () => {
    await admin.getByRole('button', { name: 'Edit' }).click();
    const dialog = admin.getByRole('dialog', { name: 'Edit vsphere-lab' });
    await dialog.getByLabel(/^Name/).fill('vsphere-lab-1');
    await axeScan(admin, 'the edit dialog');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await admin.getByRole('heading', { name: 'vsphere-lab-1' }).waitFor();
    await admin.getByRole('link', { name: 'Back to the platforms' }).click();
    const row = admin.getByRole('row', { name: /vsphere-lab-1/ });
    await row.waitFor();
    expect(await row.getByTestId('health-badge').textContent()).toBe('healthy');
    await admin.getByRole('textbox', { name: 'Name' }).fill('no-such-platform');
    await admin.getByRole('button', { name: 'Filter' }).click();
    await admin.getByText('No platform matches.').waitFor();
    expect(admin.url()).toContain('name=no-such-platform');
    await admin.getByRole('textbox', { name: 'Name' }).fill('');
    await admin.getByRole('button', { name: 'Filter' }).click();
    await row.waitFor();
    await axeScan(admin, 'the platforms list');
    await screenshot(admin, 'platforms');
    // The overview counts it.
    await admin.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Overview' }).click();
    await admin.getByTestId('health-counts').waitFor();
    expect(await admin.locator('[data-health="healthy"]').textContent()).toBe('1');
  });

  it('shows a normal account no admin-only action', async () => {
    const account = await createAccount(h.admin, 'console-platforms-user');
    const page = await h.newPage();
    await login(page, h.consoleUrl, account.name, account.password);
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.getByTestId('read-models').waitFor();
    expect(await page.getByTestId('health-counts').count()).toBe(0);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Platforms' }).click();
    await page.getByText('The federation platforms are managed by the admin account.').waitFor();
    expect(await page.getByRole('link', { name: 'New platform' }).count()).toBe(0);
    await page.goto(`${h.consoleUrl}/platforms/${platformUuid}`);
    await page.getByRole('button', { name: 'Log out' }).waitFor();
    // The API's refusal, shown with its code; no action offered.
    await page.getByText('ID.1002').waitFor();
    for (const name of ['Edit', 'Delete', 'Test the connection']) expect(await page.getByRole('button', { name }).count()).toBe(0);
    await axeScan(page, 'the platform page of a normal account');
    await screenshot(page, 'platform-normal-account');
    await page.context().close();
  });

  it('deletes the platform after a confirmation saying the credential is destroyed', async () => {
    await admin.goto(`${h.consoleUrl}/platforms/${platformUuid}`);
    await admin.getByRole('button', { name: 'Delete' }).click();
    const dialog = admin.getByRole('dialog');
    expect(await dialog.getByTestId('delete-warning').textContent()).toMatch(/stored credential is destroyed/);
    const confirm = dialog.getByRole('button', { name: 'Delete the platform' });
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByRole('textbox').fill('vsphere-lab-1');
    await screenshot(admin, 'platform-delete');
    await confirm.click();
    await admin.getByText('No platform matches.').waitFor();
    const gone = await h.admin.send('GET', `/api/v1/platforms/${platformUuid}`, { headers: { Authorization: `Bearer ${h.admin.session}` } });
    expect(gone.status).toBe(404);
  });
});
