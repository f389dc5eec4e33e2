import type { Page } from 'playwright-core';
import {
  axeScan, createAccount, login, screenshot, sha512Hex, startConsoleHarness, storageSizes, storedSession, type ConsoleHarness,
} from './harness';

/** The console's frame: login (account, wrong password), the shell and its navigation, logout, an expired session. */
let h: ConsoleHarness;
let page: Page;

beforeAll(async () => {
  h = await startConsoleHarness();
  page = await h.newPage();
}, 120_000);

afterAll(async () => {
  await h?.close();
});

afterEach(() => {
  expect(h.problems).toEqual([]);
});

describe('the console shell', () => {
  it('shows the login page with the security headers, accessible', async () => {
    const response = await page.goto(h.consoleUrl);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.getByRole('heading', { name: 'Log in to the control plane' }).waitFor();
    await axeScan(page, 'the login page');
    await screenshot(page, 'login');
  });

  it('can be used with the keyboard alone: tab to the fields, Enter submits', async () => {
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    // The segmented control first, then the name and the password fields.
    for (let i = 0; i < 5 && !(await page.getByLabel('Account name').evaluate((el) => el === el.ownerDocument.activeElement)); i++) {
      await page.keyboard.press('Tab');
    }
    await page.keyboard.type('admin');
    await page.keyboard.press('Tab');
    await page.keyboard.type('wrong-password');
    await page.keyboard.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'Login failed' }).waitFor();
    await page.getByLabel('Account name').fill('');
    await page.getByLabel(/^Password/).fill('');
  });

  it('shows a wrong password as the API error, code and text', async () => {
    await page.getByLabel('Account name').fill('admin');
    await page.getByLabel(/^Password/).fill('not-the-password');
    await page.getByRole('button', { name: 'Log in' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Login failed' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain('ID.1000');
    await screenshot(page, 'login-failed');
  });

  it('logs in as the admin, shows the shell with the caller, and navigates with real links', async () => {
    await login(page, h.consoleUrl, 'admin', 'password');
    expect(await page.getByTestId('caller').textContent()).toBe('admin (admin)');
    // The session is in this tab's sessionStorage only: not in localStorage, not in the URL.
    expect((await storageSizes(page)).local).toBe(0);
    expect((await storedSession(page))?.name).toBe('admin');
    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const name of ['Overview', 'Platforms', 'Templates', 'Identity', 'Audit']) await nav.getByRole('link', { name }).waitFor();
    await nav.getByRole('link', { name: 'Templates' }).click();
    expect(page.url()).toBe(`${h.consoleUrl}/templates`);
    await page.getByRole('heading', { name: 'Templates' }).waitFor();
    // A reload of a deep route comes back to it (the gateway answers index.html, the session survives in the tab).
    await page.reload();
    await page.getByRole('heading', { name: 'Templates' }).waitFor();
    expect(page.url()).toBe(`${h.consoleUrl}/templates`);
  });

  it('shows an unreachable API as a retryable state, and loads once it answers again', async () => {
    // A proxy in front of the gateway answering 503 without an API error body.
    await page.route('**/api/v1/platforms?*', (route) => route.fulfill({ status: 503, contentType: 'text/html', body: '<h1>503 Service Unavailable</h1>' }));
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Platforms' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'unavailable' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain('HTTP 503');
    await screenshot(page, 'unavailable');
    await page.unroute('**/api/v1/platforms?*');
    await alert.getByRole('button', { name: 'Try again' }).click();
    await page.getByText(/\d+ platforms?/).waitFor();
    expect(await alert.count()).toBe(0);
  });

  it('logs out through the API: the session is gone on the server too', async () => {
    const session = (await storedSession(page))!.uuid;
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Log in to the control plane' }).waitFor();
    expect(await storageSizes(page)).toEqual({ local: 0, session: 0 });
    const valid = await h.admin.send('GET', `/zstack/v1/accounts/sessions/${session}/valid`);
    expect(valid.json.valid).toBe(false);
  });

  it('logs in as an IAM2 virtual ID (LoginIAM2VirtualID), a caller that is not the admin', async () => {
    const vid = await h.admin.job('POST', '/zstack/v1/iam2/virtual-ids', { params: { name: 'console-vid', password: sha512Hex('Vid-Pw-1!') } });
    expect(vid.status).toBe(200);
    await login(page, h.consoleUrl, 'console-vid', 'Vid-Pw-1!', 'virtualId');
    expect(await page.getByTestId('caller').textContent()).toBe('console-vid');
    expect((await storedSession(page))?.name).toBe('console-vid');
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Log in to the control plane' }).waitFor();
  });

  it('sends a session that became invalid back to the login page with the reason', async () => {
    const account = await createAccount(h.admin, 'console-shell-user');
    await login(page, h.consoleUrl, account.name, account.password);
    expect(await page.getByTestId('caller').textContent()).toBe(account.name);
    const session = (await storedSession(page))!.uuid;
    // Ended behind the console's back: its next API call gets ID.1001.
    await h.admin.send('DELETE', `/zstack/v1/accounts/sessions/${session}`);
    await page.reload();
    await page.getByText('Your session ended').waitFor({ timeout: 15_000 });
    expect(await page.getByRole('status').filter({ hasText: 'ID.1001' }).count()).toBe(1);
    await screenshot(page, 'session-ended');
  });
});
