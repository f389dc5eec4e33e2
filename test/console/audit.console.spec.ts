import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { axeScan, login, screenshot, sha512Hex, startConsoleHarness, type ConsoleHarness } from './harness';

/**
 * The audit explorer (issue 17, part 6), against a real stack: an account made and changed twice
 * through the API, then found in the explorer, its events exported as NDJSON, its timeline moved
 * with the keyboard, two of its points diffed; invalid filters show the API's refusal.
 */
let h: ConsoleHarness;
let page: Page;
let account: { uuid: string; name: string; password: string };
const DESCRIPTIONS = ['audit-desc-first', 'audit-desc-second', 'audit-desc-third'];

beforeAll(async () => {
  h = await startConsoleHarness();
  page = await h.newPage();
  const name = 'console-audit-subject';
  const password = `${name}-Pw-1!`;
  const created = await h.admin.job('POST', '/zstack/v1/accounts', { params: { name, password: sha512Hex(password), description: DESCRIPTIONS[0] } });
  if (created.status !== 200) throw new Error(`CreateAccount: ${created.status} ${created.text}`);
  account = { uuid: created.json.inventory.uuid, name, password };
  for (const description of DESCRIPTIONS.slice(1)) {
    const updated = await h.admin.job('PUT', `/zstack/v1/accounts/${account.uuid}`, { updateAccount: { description } });
    if (updated.status !== 200) throw new Error(`UpdateAccount: ${updated.status} ${updated.text}`);
  }
}, 120_000);

afterAll(async () => {
  await h?.close();
});

afterEach(() => {
  expect(h.problems).toEqual([]);
});

const rows = () => page.getByTestId('audit-event-row');
const alertWith = (text: string) => page.getByRole('alert').filter({ hasText: text });

describe('the audit explorer', () => {
  it('filters the events by a resource uuid and shows an event\'s data, secrets redacted', async () => {
    await login(page, h.consoleUrl, 'admin', 'password');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit' }).click();
    await page.getByRole('heading', { name: 'Audit', exact: true }).waitFor();
    await page.getByLabel('Resource uuid', { exact: true }).fill(account.uuid);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(`**/console/audit?resourceUuid=${account.uuid}`);
    await page.getByText('3 events on this page').waitFor();
    const types = await rows().locator('td:nth-child(2)').allTextContents();
    expect(types).toEqual(['AccountCreated', 'AccountUpdated', 'AccountUpdated']);
    expect(await rows().nth(2).textContent()).toContain(DESCRIPTIONS[2]);

    await rows().nth(0).getByRole('button', { name: /^Details of AccountCreated/ }).click();
    const dialog = page.getByRole('dialog');
    const data = await dialog.getByTestId('event-data').textContent();
    expect(data).toContain(DESCRIPTIONS[0]);
    expect(data).not.toContain(sha512Hex(account.password));
    if (data!.includes('passwordHash')) expect(data).toContain('[redacted]');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    await axeScan(page, 'the audit explorer');
    await screenshot(page, 'audit-explorer');
  });

  it('exports the current filter as NDJSON through a Blob download', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export NDJSON' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^audit-events-.*\.ndjson$/);
    expect(download.url()).toMatch(/^blob:/);
    const text = readFileSync((await download.path())!, 'utf8');
    const lines = text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line));
    expect(lines.map((e) => [e.type, e.resourceUuid])).toEqual([
      ['AccountCreated', account.uuid], ['AccountUpdated', account.uuid], ['AccountUpdated', account.uuid],
    ]);
    expect(text).not.toContain(sha512Hex(account.password));
    await page.getByTestId('export-outcome').filter({ hasText: 'Exported 3 events' }).waitFor();
  });

  it('pages forward with the reply\'s next, and back to the first page (a deep link with a page size)', async () => {
    await page.goto(`${h.consoleUrl}/audit?resourceUuid=${account.uuid}&limit=2`);
    await page.getByText('2 events on this page (from the start of the log); more follow').waitFor();
    expect(await rows().locator('td:nth-child(2)').allTextContents()).toEqual(['AccountCreated', 'AccountUpdated']);
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByText(/^1 event on this page \(after log position \d+\); the end of the log/).waitFor();
    expect(page.url()).toMatch(/[?&]after=\d+/);
    expect(await rows().locator('td:nth-child(2)').allTextContents()).toEqual(['AccountUpdated']);
    expect(await rows().textContent()).toContain(DESCRIPTIONS[2]);
    expect(await page.getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Back to the first page' }).click();
    await page.getByText('2 events on this page (from the start of the log)').waitFor();
    expect(page.url()).not.toContain('after=');
  });

  it('shows an invalid filter as the API\'s refusal, code and text', async () => {
    await page.getByLabel('Actor (account uuid)').fill('not-a-uuid');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const bad = alertWith('Loading the audit events');
    await bad.waitFor();
    expect(await bad.getByTestId('error-code').textContent()).toMatch(/^[A-Z]+\.\d+$/);
    expect(await bad.textContent()).toContain('accountUuid');

    await page.getByLabel('Actor (account uuid)').fill('');
    await page.getByLabel('From', { exact: true }).fill('2026-02-01T00:00:00Z');
    await page.getByLabel('To', { exact: true }).fill('2026-01-01T00:00:00Z');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await alertWith('must not be after').waitFor();
    expect(await alertWith('must not be after').getByTestId('error-code').textContent()).toMatch(/^[A-Z]+\.\d+$/);
    // The export of the same filter is refused the same way, next to its button.
    await page.getByRole('button', { name: 'Export NDJSON' }).click();
    await alertWith('Exporting the events').filter({ hasText: 'must not be after' }).waitFor();
    // Clear drops every filter (the page size stays).
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.waitForURL(/\/console\/audit\?limit=2$/);
    await page.waitForFunction(`[...document.querySelectorAll('input')].every((i) => !i.value.startsWith('2026-0'))`);
    await page.getByText(/events? on this page/).waitFor();
  });

  it('opens a resource\'s timeline: the slider (keyboard) shows it as it was, two points are diffed', async () => {
    await page.goto(`${h.consoleUrl}/audit?resourceUuid=${account.uuid}`);
    await page.getByText('3 events on this page').waitFor();
    await page.getByRole('link', { name: `Timeline of resource ${account.uuid}` }).click();
    await page.waitForURL(`**/console/audit/resources/${account.uuid}`);
    await page.getByRole('heading', { name: `Resource history: ${account.name}` }).waitFor();
    await page.getByTestId('timeline-row').nth(2).waitFor();
    expect(await page.getByTestId('timeline-row').count()).toBe(3);
    expect(await page.getByTestId('timeline-row').nth(0).textContent()).toContain('created');
    expect(await page.getByTestId('timeline-row').nth(1).textContent()).toContain('description, lastOpDate');

    const asOfDescription = page.getByRole('table', { name: 'The resource as it was' }).locator('tr[data-field="description"] td:nth-child(2)');
    await asOfDescription.filter({ hasText: DESCRIPTIONS[2] }).waitFor();
    const slider = page.getByRole('slider', { name: "Point in the resource's history" });
    await slider.focus();
    await page.keyboard.press('Home');
    await page.getByTestId('as-of-point').filter({ hasText: '#1 AccountCreated' }).waitFor();
    await asOfDescription.filter({ hasText: DESCRIPTIONS[0] }).waitFor();
    expect(await slider.getAttribute('aria-valuenow')).toBe('0');
    await page.keyboard.press('ArrowRight');
    await asOfDescription.filter({ hasText: DESCRIPTIONS[1] }).waitFor();
    expect(page.url()).toContain('at=');

    // A = #1, B = #3 by default: the description changed from the first to the third.
    const diffRow = page.locator('[data-testid="diff-row"][data-field="description"]');
    await diffRow.waitFor();
    expect(await diffRow.getAttribute('data-kind')).toBe('changed');
    expect(await diffRow.locator('td').allTextContents()).toEqual(['description', 'changed', `"${DESCRIPTIONS[0]}"`, `"${DESCRIPTIONS[2]}"`]);
    // Pick A = #2 and B = #3 on the timeline.
    await page.getByRole('button', { name: 'Compare from point #2 (A)' }).click();
    await diffRow.filter({ hasText: DESCRIPTIONS[1] }).waitFor();
    expect(await diffRow.locator('td').allTextContents()).toEqual(['description', 'changed', `"${DESCRIPTIONS[1]}"`, `"${DESCRIPTIONS[2]}"`]);
    expect(await page.locator('[data-testid="diff-row"][data-field="name"]').count()).toBe(0);

    await axeScan(page, 'a resource\'s history');
    await screenshot(page, 'audit-resource');
    // The deep link with its points comes back to them.
    await page.reload();
    await page.getByTestId('point-a').filter({ hasText: '#2 AccountUpdated' }).waitFor();
    await asOfDescription.filter({ hasText: DESCRIPTIONS[1] }).waitFor();
  });

  it('shows an unreachable Audit API as a retryable state, never a blank page', async () => {
    // A proxy in front of the gateway answering 503 without an API error body, for the history only.
    const history = `**/api/v1/audit/resources/${account.uuid}/history`;
    await page.route(history, (route) => route.fulfill({ status: 503, contentType: 'text/html', body: '<h1>503 Service Unavailable</h1>' }));
    await page.goto(`${h.consoleUrl}/audit/resources/${account.uuid}`);
    const alert = alertWith('unavailable');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('HTTP 503');
    await page.unroute(history);
    await alert.getByRole('button', { name: 'Try again' }).click();
    await page.getByTestId('timeline-row').nth(2).waitFor();
    expect(await alertWith('unavailable').count()).toBe(0);
  });

  it('shows a malformed resource uuid as the API\'s refusal', async () => {
    await page.goto(`${h.consoleUrl}/audit/resources/not-a-uuid`);
    const bad = alertWith('Loading the resource\'s history');
    await bad.waitFor();
    expect(await bad.getByTestId('error-code').textContent()).toMatch(/^[A-Z]+\.\d+$/);
    expect(await bad.textContent()).toContain('32 lowercase hex digits');
  });

  it('shows a normal account only what the Audit API lets it read: its own resources\' events', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await login(page, h.consoleUrl, account.name, account.password);
    await page.goto(`${h.consoleUrl}/audit`);
    await page.getByText(/events? on this page/).waitFor();
    const links = await rows().locator('td:nth-child(3) a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(links.length).toBeGreaterThanOrEqual(3);
    expect(new Set(links)).toEqual(new Set([`/console/audit/resources/${account.uuid}`]));
  });
});
