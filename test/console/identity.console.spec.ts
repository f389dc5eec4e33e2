import type { Page } from 'playwright-core';
import { axeScan, createAccount, screenshot, sha512Hex, startConsoleHarness, storageSizes, type ConsoleHarness } from './harness';

/**
 * The identity pages: accounts (create, edit twice, disable with what it ends), IAM2 virtual IDs and
 * their attributes, access keys (the secret shown once), a normal account's view without the admin's
 * actions, and the login lockout shown as such.
 */
let h: ConsoleHarness;
let page: Page;

beforeAll(async () => {
  // A lock after 3 failures (5 by default): the lockout test fails fewer times.
  h = await startConsoleHarness({ env: { LOGIN_MAX_FAILURES: '3' } });
  page = await h.newPage();
  await loginAt(page, `${h.consoleUrl}/identity/accounts`, 'admin', 'password');
}, 120_000);

afterAll(async () => {
  await h?.close();
});

afterEach(() => {
  expect(h.problems).toEqual([]);
});

/** Logs in on the page asked for (every path shows the login page without a session), staying there. */
async function loginAt(p: Page, url: string, name: string, password: string, as: 'account' | 'virtualId' = 'account'): Promise<void> {
  await p.goto(url);
  if (as === 'virtualId') await p.getByText('IAM2 virtual ID').click();
  await p.getByLabel(as === 'account' ? 'Account name' : 'Virtual ID name').fill(name);
  await p.getByLabel(/^Password/).fill(password);
  await p.getByRole('button', { name: 'Log in' }).click();
  await p.getByRole('button', { name: 'Log out' }).waitFor();
}

const accountRow = (p: Page, name: string) => p.getByRole('table', { name: 'Accounts' }).locator(`tr[data-account="${name}"]`);
const queryAccount = async (name: string) => (await h.admin.send('GET', `/zstack/v1/accounts?q=name=${name}`)).json.inventories[0];

describe('the identity pages', () => {
  it('create an account', async () => {
    await page.getByRole('tab', { name: 'Accounts' }).waitFor();
    await page.getByRole('button', { name: 'New account' }).click();
    const dialog = page.getByRole('dialog', { name: 'New account' });
    await dialog.getByRole('textbox', { name: /^Name/ }).fill('console-id-user');
    await dialog.getByLabel(/^Password \*?$/).fill('Console-Pw-1!');
    await dialog.getByLabel(/^Password again/).fill('Console-Pw-1!');
    await axeScan(page, 'the new account dialog');
    await dialog.getByRole('button', { name: 'Create the account' }).click();
    await accountRow(page, 'console-id-user').waitFor();
    expect((await queryAccount('console-id-user')).type).toBe('Normal');
    await axeScan(page, 'the accounts tab');
    await screenshot(page, 'identity-accounts');
  });

  it("changes the account's description twice", async () => {
    for (const description of ['first description', 'second description']) {
      await accountRow(page, 'console-id-user').getByRole('button', { name: 'Edit console-id-user' }).click();
      const dialog = page.getByRole('dialog', { name: 'Edit the account console-id-user' });
      await dialog.getByLabel('Description').fill(description);
      await dialog.getByRole('button', { name: 'Save' }).click();
      await dialog.waitFor({ state: 'detached' });
      await accountRow(page, 'console-id-user').getByTestId('account-description').filter({ hasText: description }).waitFor();
    }
    expect((await queryAccount('console-id-user')).description).toBe('second description');
  });

  it("changes the account's password after saying that its sessions end", async () => {
    await accountRow(page, 'console-id-user').getByRole('button', { name: 'Change the password of console-id-user' }).click();
    const dialog = page.getByRole('dialog', { name: 'Change the password of account console-id-user' });
    expect(await dialog.getByTestId('what-ends').textContent()).toContain('Every session of the account console-id-user ends');
    expect(await dialog.getByLabel(/^Current password/).count()).toBe(0);
    await dialog.getByLabel(/^New password \*?$/).fill('Console-Pw-2!');
    await dialog.getByLabel(/^New password again/).fill('Console-Pw-2!');
    await dialog.getByRole('button', { name: 'Change the password' }).click();
    await dialog.waitFor({ state: 'detached' });
    const login = await h.admin.send('PUT', '/zstack/v1/accounts/login', { body: { logInByAccount: { accountName: 'console-id-user', password: sha512Hex('Console-Pw-2!') } } });
    expect(login.status).toBe(200);
  });

  it('creates an access key and shows its secret once, with the warning', async () => {
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.getByRole('tab', { name: 'Access keys' }).click();
    await page.waitForURL(`${h.consoleUrl}/identity/access-keys`);
    await page.getByRole('button', { name: 'New access key' }).click();
    const create = page.getByRole('dialog', { name: 'New access key' });
    await create.getByLabel('Description').fill('console key');
    await create.getByRole('button', { name: 'Create the key' }).click();
    const dialog = page.getByRole('dialog', { name: "The access key's secret" });
    await dialog.waitFor();
    expect(await dialog.getByTestId('secret-warning').textContent()).toContain('it will not be shown again');
    const secret = await dialog.getByLabel('AccessKeySecret').inputValue();
    const keyId = (await dialog.getByTestId('access-key-id').textContent())!;
    expect(secret).toMatch(/^\S{10,40}$/);
    await dialog.getByRole('button', { name: 'Copy the secret' }).click();
    await dialog.getByRole('status').filter({ hasText: /Copied|selected/ }).waitFor();
    await axeScan(page, 'the access key secret dialog');
    await screenshot(page, 'identity-access-key-secret');
    // Nowhere but in the dialog: not in storage, not in the URL.
    expect(await page.evaluate<string>(`JSON.stringify({ ...window.sessionStorage }) + JSON.stringify({ ...window.localStorage })`)).not.toContain(secret);
    expect(page.url()).not.toContain(secret);
    await dialog.getByRole('button', { name: 'I have copied it' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator(`tr[data-access-key="${keyId}"]`).waitFor();
    expect(await page.content()).not.toContain(secret);
    expect((await storageSizes(page)).local).toBe(0);
    await axeScan(page, 'the access keys tab');
  });

  it('manages a virtual ID and its attributes', async () => {
    await page.getByRole('tab', { name: 'IAM2 virtual IDs' }).click();
    await page.getByRole('button', { name: 'New virtual ID' }).click();
    const create = page.getByRole('dialog', { name: 'New virtual ID' });
    await create.getByRole('textbox', { name: /^Name/ }).fill('console-vid');
    await create.getByLabel(/^Password \*?$/).fill('Vid-Pw-1!');
    await create.getByLabel(/^Password again/).fill('Vid-Pw-1!');
    await create.getByRole('button', { name: 'Create the virtual ID' }).click();
    const table = page.getByRole('table', { name: 'Virtual IDs' });
    await table.getByRole('button', { name: 'console-vid', exact: true }).click();
    const attrs = page.getByRole('region', { name: 'Attributes of console-vid' });
    await attrs.getByLabel(/^Attribute name/).fill('team');
    await attrs.getByLabel('Attribute value').fill('blue');
    await attrs.getByRole('button', { name: 'Add the attribute' }).click();
    await attrs.locator('tr[data-attribute="team"]').getByText('blue').waitFor();
    await attrs.getByRole('button', { name: 'Change value of team' }).click();
    const value = page.getByRole('dialog', { name: 'Change the value of team' });
    await value.getByLabel(/^Value/).fill('green');
    await value.getByRole('button', { name: 'Save' }).click();
    await attrs.locator('tr[data-attribute="team"]').getByText('green').waitFor();
    await axeScan(page, 'the virtual IDs tab');
    await screenshot(page, 'identity-virtual-ids');
    await attrs.getByRole('button', { name: 'Remove team' }).click();
    await page.getByRole('dialog', { name: 'Remove the attribute team?' }).getByRole('button', { name: 'Remove the attribute' }).click();
    await attrs.getByText('No attribute.').waitFor();
    // Disabling says what it ends.
    await table.getByRole('button', { name: 'Disable console-vid' }).click();
    const disable = page.getByRole('dialog', { name: 'Disable the virtual ID console-vid?' });
    expect(await disable.getByTestId('what-ends').textContent()).toContain('Every session of console-vid ends');
    await disable.getByRole('button', { name: 'Disable the virtual ID' }).click();
    await table.getByRole('button', { name: 'Enable console-vid' }).waitFor();
    await table.getByRole('button', { name: 'Delete console-vid' }).click();
    await page.getByRole('dialog', { name: 'Delete the virtual ID console-vid?' }).getByRole('button', { name: 'Delete the virtual ID' }).click();
    await table.getByText('No virtual ID.').waitFor();
  });

  it("disables an account after saying what ends: its open session is ended", async () => {
    const other = await createAccount(h.admin, 'console-id-ended');
    const theirs = await h.newPage();
    await loginAt(theirs, `${h.consoleUrl}/identity/accounts`, other.name, other.password);
    await page.getByRole('tab', { name: 'Accounts' }).click();
    await accountRow(page, other.name).getByRole('button', { name: `Disable ${other.name}` }).click();
    const dialog = page.getByRole('dialog', { name: `Disable the account ${other.name}?` });
    expect(await dialog.getByTestId('what-ends').textContent()).toContain(`Every session of ${other.name} ends now`);
    await screenshot(page, 'identity-disable-account');
    await dialog.getByRole('button', { name: 'Disable the account' }).click();
    await accountRow(page, other.name).getByRole('button', { name: `Enable ${other.name}` }).waitFor();
    // Whether the page noticed by itself (its next call refused) or on the reload, the login page says
    // why, and still does after another reload (until the next login).
    await theirs.reload();
    await theirs.getByText('Your session ended').waitFor();
    await theirs.reload();
    await theirs.getByText('Your session ended').waitFor();
  });

  it('shows a normal account no admin-only action', async () => {
    const normal = await createAccount(h.admin, 'console-id-normal');
    const theirs = await h.newPage();
    await loginAt(theirs, `${h.consoleUrl}/identity/accounts`, normal.name, normal.password);
    await accountRow(theirs, normal.name).waitFor();
    expect(await theirs.getByRole('button', { name: 'New account' }).count()).toBe(0);
    expect(await theirs.getByRole('button', { name: /^(Delete|Disable|Enable) / }).count()).toBe(0);
    // Its own edit and password stay.
    await accountRow(theirs, normal.name).getByRole('button', { name: `Edit ${normal.name}` }).waitFor();
    await axeScan(theirs, 'the accounts tab of a normal account');
    await theirs.getByRole('tab', { name: 'IAM2 virtual IDs' }).click();
    await theirs.getByText('No virtual ID.').waitFor();
    expect(await theirs.getByRole('button', { name: 'New virtual ID' }).count()).toBe(0);
    await theirs.getByRole('tab', { name: 'Access keys' }).click();
    await theirs.getByRole('table', { name: 'Access keys' }).waitFor();
    // Its own keys are its own to manage; no other account's key is listed.
    await theirs.getByRole('button', { name: 'New access key' }).waitFor();
    expect(await theirs.locator('tr[data-access-key]').count()).toBe(0);
    await screenshot(theirs, 'identity-normal-account');
  });

  it("shows a virtual ID's session no write action", async () => {
    const r = await h.admin.job('POST', '/zstack/v1/iam2/virtual-ids', { params: { name: 'console-id-vid', password: sha512Hex('Vid-Pw-2!') } });
    expect(r.status).toBe(200);
    const theirs = await h.newPage();
    await loginAt(theirs, `${h.consoleUrl}/identity/accounts`, 'console-id-vid', 'Vid-Pw-2!', 'virtualId');
    await theirs.getByText('Logged in as console-id-vid (IAM2 virtual ID)').waitFor();
    await theirs.getByRole('table', { name: 'Accounts' }).waitFor();
    expect(await theirs.getByRole('table', { name: 'Accounts' }).getByRole('button').count()).toBe(0);
    await theirs.getByRole('tab', { name: 'IAM2 virtual IDs' }).click();
    await theirs.getByRole('table', { name: 'Virtual IDs' }).getByRole('button', { name: 'console-id-vid', exact: true }).waitFor();
    expect(await theirs.getByRole('table', { name: 'Virtual IDs' }).getByRole('button').count()).toBe(1);
    await theirs.getByRole('tab', { name: 'Access keys' }).click();
    await theirs.getByRole('table', { name: 'Access keys' }).waitFor();
    expect(await theirs.getByRole('button', { name: 'New access key' }).count()).toBe(0);
  });

  it('shows the login lockout as such', async () => {
    await createAccount(h.admin, 'console-id-locked');
    const p = await h.newPage();
    await p.goto(h.consoleUrl);
    const alert = p.getByRole('alert');
    for (let i = 0; i < 3; i++) {
      await p.getByLabel('Account name').fill('console-id-locked');
      await p.getByLabel(/^Password/).fill(`wrong-${i}`);
      await p.getByRole('button', { name: 'Log in' }).click();
      await alert.filter({ hasText: 'ID.1000' }).waitFor();
      await p.getByRole('button', { name: 'Log in' }).and(p.locator(':not([data-loading])')).waitFor();
    }
    await p.getByLabel(/^Password/).fill('console-id-locked-Pw-1!');
    await p.getByRole('button', { name: 'Log in' }).click();
    const locked = alert.filter({ hasText: 'temporarily locked' });
    await locked.waitFor();
    expect(await locked.getByTestId('error-code').textContent()).toBe('ID.1000');
    expect(await locked.textContent()).toContain('Login locked');
    await axeScan(p, 'the login page with a lockout');
    await screenshot(p, 'login-locked');
  });
});
