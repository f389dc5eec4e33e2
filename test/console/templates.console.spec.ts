import type { Page } from 'playwright-core';
import { axeScan, screenshot, startConsoleHarness, type ConsoleHarness } from './harness';

/**
 * The templates pages: the list (no contents), the editor with the content rules checked as one
 * types, the preview through the render API, add, disable/enable, delete, a predefined template read-only.
 */
let h: ConsoleHarness;
let page: Page;

beforeAll(async () => {
  h = await startConsoleHarness();
  page = await h.newPage();
  await loginAt(page, `${h.consoleUrl}/templates`, 'admin', 'password');
}, 120_000);

/** Logs in on the page asked for (every path shows the login page without a session), staying there. */
async function loginAt(p: Page, url: string, name: string, password: string): Promise<void> {
  await p.goto(url);
  await p.getByLabel('Account name').fill(name);
  await p.getByLabel(/^Password/).fill(password);
  await p.getByRole('button', { name: 'Log in' }).click();
  await p.getByRole('button', { name: 'Log out' }).waitFor();
}

afterAll(async () => {
  await h?.close();
});

afterEach(() => {
  expect(h.problems).toEqual([]);
});

// Every common param but USERNAME, and a custom one.
const CONTENT = [
  '#version=RHEL7',
  'url --url={{ REPO_URL }}',
  'rootpw --iscrypted {{ PASSWORD }}',
  '{{ NETWORK_CFGS }}',
  '{{ FORCE_INSTALL }}',
  'bootloader --location=mbr',
  'autopart',
  'network --hostname={{ hostname }}',
  '%pre',
  '{{ PRE_SCRIPTS }}',
  '%end',
  '%post',
  '{{ POST_SCRIPTS }}',
  '%end',
  '',
].join('\n');

let added: string;

describe('the templates pages', () => {
  it('list the templates without their contents, filtered by name and type', async () => {
    const queries: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/zstack/v1/baremetal/preconfigurations?')) queries.push(r.url());
    });
    await page.getByRole('heading', { name: 'Templates', exact: true }).waitFor();
    const table = page.getByRole('table', { name: 'Templates' });
    await table.getByRole('link', { name: 'centos_7_x86_64_mini_v1' }).waitFor();
    expect(queries.at(-1)).toContain('fields=');
    expect(decodeURIComponent(queries.at(-1)!)).not.toMatch(/fields=[^&]*content/);
    await page.getByLabel('Name contains').fill('ubuntu');
    await page.getByRole('button', { name: 'Filter' }).click();
    await table.getByRole('link', { name: 'centos_7_x86_64_mini_v1' }).waitFor({ state: 'detached' });
    await table.getByRole('link', { name: 'ubuntu_18_x86_64_mini_v1' }).waitFor();
    await page.getByRole('combobox', { name: 'Type' }).click();
    await page.getByRole('option', { name: 'Autoinstall' }).click();
    await page.waitForURL(/type=autoinstall/);
    await page.getByText('1 template', { exact: true }).waitFor();
    await table.getByRole('link', { name: 'ubuntu_20_live_server_x86_64_mini_v1' }).waitFor();
    await axeScan(page, 'the templates list');
    await screenshot(page, 'templates-list');
  });

  it('adds a template through the editor, flagging a missing common param as one types', async () => {
    await page.goto(`${h.consoleUrl}/templates`);
    await page.getByRole('link', { name: 'New template' }).click();
    await page.getByRole('heading', { name: 'New template' }).waitFor();
    await page.getByRole('textbox', { name: /^Name/ }).fill('console-ks');
    await page.getByLabel('Distribution').fill('centos7');
    const editor = page.getByRole('textbox', { name: 'Template content (Kickstart)' });
    await editor.click();
    await page.keyboard.insertText(CONTENT);
    const findings = page.getByTestId('content-findings');
    await findings.getByTestId('missing-common').filter({ hasText: 'USERNAME' }).waitFor();
    expect(await findings.getByTestId('content-error').textContent()).toBe('common params missing in template content');
    // Highlighted: the shell mode's tokens and the params marked.
    expect(await page.locator('.cm-template-param').count()).toBeGreaterThan(5);
    await axeScan(page, 'the template editor');
    await screenshot(page, 'template-editor-missing-param');
    await page.keyboard.press('Control+End');
    await page.keyboard.type('user --name={{ USERNAME }}\n');
    await findings.getByText("The content passes the server's rules").waitFor();
    expect(await findings.getByTestId('missing-common').count()).toBe(0);
    await page.getByRole('button', { name: 'Add the template' }).click();
    await page.waitForURL(/\/templates\/[0-9a-f]{32}$/);
    added = page.url().split('/').pop()!;
    await page.getByRole('heading', { name: 'console-ks' }).waitFor();
    const stored = await h.admin.send('GET', `/zstack/v1/baremetal/preconfigurations/${added}`);
    expect(stored.json.inventories[0].content).toBe(`${CONTENT}user --name={{ USERNAME }}\n`);
  });

  it('previews the template through the render API, with missingParams', async () => {
    const missing = page.getByTestId('missing-params');
    await missing.getByText('hostname').waitFor();
    for (const p of ['REPO_URL', 'USERNAME', 'PASSWORD']) await missing.getByText(p, { exact: true }).waitFor();
    await page.getByRole('textbox', { name: 'hostname', exact: true }).fill('node-01');
    await page.getByTestId('rendered').filter({ hasText: 'network --hostname=node-01' }).waitFor();
    expect(await missing.getByText('hostname').count()).toBe(0);
    await axeScan(page, 'the template editor of a saved template');
    await screenshot(page, 'template-preview');
  });

  it('disables and enables the template', async () => {
    await page.getByRole('button', { name: 'Disable' }).click();
    await page.getByRole('button', { name: 'Enable' }).waitFor();
    expect((await h.admin.send('GET', `/zstack/v1/baremetal/preconfigurations/${added}`)).json.inventories[0].state).toBe('Disabled');
    await page.getByRole('button', { name: 'Enable' }).click();
    await page.getByRole('button', { name: 'Disable' }).waitFor();
    expect((await h.admin.send('GET', `/zstack/v1/baremetal/preconfigurations/${added}`)).json.inventories[0].state).toBe('Enabled');
  });

  it('saves a change, and shows a refusal with its code next to the save', async () => {
    const editor = page.getByRole('textbox', { name: 'Template content (Kickstart)' });
    await editor.click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.type('# changed\n');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    expect((await h.admin.send('GET', `/zstack/v1/baremetal/preconfigurations/${added}`)).json.inventories[0].content).toMatch(/^# changed\n/);
    // Two more common params: the content rules flag them, and the server refuses the save with the same text.
    await editor.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('{{ EXTRA_ONE }} {{ EXTRA_TWO }}');
    await page.getByTestId('unknown-common').filter({ hasText: 'EXTRA_TWO' }).waitFor();
    expect(await page.getByTestId('content-error').textContent()).toBe('unknown common params exist in template content');
    await page.getByRole('button', { name: 'Save' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Saving the template' });
    await alert.waitFor();
    expect(await alert.getByTestId('error-code').textContent()).toBe('SYS.1007');
    expect(await alert.textContent()).toContain('unknown common params exist in template content');
    await screenshot(page, 'template-save-refused');
  });

  it('deletes the template after a confirmation', async () => {
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete console-ks?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Delete the template' }).click();
    await page.waitForURL(`${h.consoleUrl}/templates`);
    expect((await h.admin.send('GET', `/zstack/v1/baremetal/preconfigurations/${added}`)).json.inventories).toEqual([]);
  });

  it('pages the list', async () => {
    // 11 predefined templates and 10 more: two pages of 20.
    const content = `${CONTENT}user --name={{ USERNAME }}\n`;
    for (let i = 0; i < 10; i++) {
      const r = await h.admin.job('POST', '/zstack/v1/baremetal/preconfigurations', {
        params: { name: `zz-paged-${i}`, distribution: 'centos7', type: 'kickstart', content },
      });
      expect(r.status).toBe(200);
    }
    await page.goto(`${h.consoleUrl}/templates`);
    await page.getByText('21 templates').waitFor();
    expect(await page.getByRole('table', { name: 'Templates' }).locator('tbody tr').count()).toBe(20);
    await page.getByRole('button', { name: 'Page 2' }).click();
    await page.waitForURL(/page=2/);
    await page.getByRole('table', { name: 'Templates' }).getByRole('link', { name: 'zz-paged-9' }).waitFor();
    expect(await page.getByRole('table', { name: 'Templates' }).locator('tbody tr').count()).toBe(1);
    await page.goto(`${h.consoleUrl}/templates`);
  });

  it('leaves Tab to the browser in the editor (focus moves on, no tab is typed)', async () => {
    await page.goto(`${h.consoleUrl}/templates/new`);
    const editor = page.getByRole('textbox', { name: 'Template content (Kickstart)' });
    await editor.focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate<boolean>(`document.activeElement?.classList.contains('cm-content') ?? false`)).toBe(false);
    expect(await editor.textContent()).toBe('');
    await page.goto(`${h.consoleUrl}/templates`);
  });

  it('shows a predefined template read-only, and says why', async () => {
    await page.goto(`${h.consoleUrl}/templates`);
    await page.getByRole('table', { name: 'Templates' }).getByRole('link', { name: 'opensuse_15_x86_64_mini_v1' }).click();
    await page.getByRole('heading', { name: 'opensuse_15_x86_64_mini_v1' }).waitFor();
    await page.getByTestId('read-only-reason').getByText('Nobody can change, disable or delete it').waitFor();
    for (const name of ['Save', 'Delete', 'Disable', 'Enable']) expect(await page.getByRole('button', { name, exact: true }).count()).toBe(0);
    const editor = page.getByRole('textbox', { name: 'Template content (AutoYaST)' });
    expect(await editor.getAttribute('contenteditable')).toBe('false');
    expect(await page.getByRole('textbox', { name: /^Name/ }).getAttribute('readonly')).not.toBeNull();
    // AutoYaST highlighted as XML.
    await page.getByTestId('missing-params').waitFor();
    await axeScan(page, 'a predefined template');
    await screenshot(page, 'template-predefined');
    // Its content can start a template of one's own.
    await page.getByRole('button', { name: 'Copy into a new template' }).click();
    await page.getByRole('heading', { name: 'New template' }).waitFor();
    expect(await page.getByRole('textbox', { name: /^Name/ }).inputValue()).toBe('opensuse_15_x86_64_mini_v1-copy');
    await page.getByTestId('content-findings').getByText("The content passes the server's rules").waitFor();
    expect(await page.getByRole('textbox', { name: 'Template content (AutoYaST)' }).getAttribute('contenteditable')).toBe('true');
  });
});
