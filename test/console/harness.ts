import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { REPO_ROOT } from '@cp/testing';
import { ensureConsole } from '../../scripts/console-build';
import { TestStack, type StackOptions } from '../support/stack';
import { ZStackClient } from '../support/zstack-client';
import { startFakeVSphere, type FakeVSphere } from '../support/fake-clouds';

/**
 * The console's browser tests (`npm run test:console`, one file at a time): per test file, one stack
 * (TestStack: nats-server, every service, the gateway) serving a console built from the current
 * sources, a fake vSphere (test/support/fake-clouds.ts), and a headless Chromium driven by
 * playwright-core. The console is built once per change of its sources into .cache/console-test/
 * (scripts/console-build.ts's stamp), so the files of a run share one build.
 */

export const CHROMIUM_BIN = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
export const SCREENSHOT_DIR = join(REPO_ROOT, 'test-output', 'console-screenshots');
/**
 * Where the tests' console is built (rebuilt only when its sources change); CONSOLE_TEST_DIR: a console
 * built beforehand, served as it is (no build).
 */
export const CONSOLE_BUILD_DIR = process.env.CONSOLE_TEST_DIR || join(REPO_ROOT, '.cache', 'console-test');
export const VSPHERE = { user: 'administrator@vsphere.local', password: 'vsphere-console-pw' };

/** SHA-512 hex of a clear password, as the console (and every ZStack client) sends it. */
export const sha512Hex = (text: string) => createHash('sha512').update(text).digest('hex');

export interface ConsoleHarness {
  stack: TestStack;
  vsphere: FakeVSphere;
  browser: Browser;
  /** The console's base URL: `http://127.0.0.1:<port>/console`. */
  consoleUrl: string;
  /** The admin over the ZStack API (for setting things up). */
  admin: ZStackClient;
  /** A fresh browser context (cookies, storage) and its page. Every page is checked for CSP violations and page errors. */
  newPage(): Promise<Page>;
  /** What the pages reported: CSP violations, uncaught errors, console errors. */
  problems: string[];
  close(): Promise<void>;
}

/** Fails with what to do when there is no Chromium (CI installs Debian's `chromium`). */
function requireChromium(): void {
  if (!existsSync(CHROMIUM_BIN)) {
    throw new Error(`no Chromium at ${CHROMIUM_BIN}: install Debian's package (apt-get install chromium) or set CHROMIUM_BIN. .ci/run installs it.`);
  }
}

export async function startConsoleHarness(options: StackOptions = {}): Promise<ConsoleHarness> {
  requireChromium();
  if (!process.env.CONSOLE_TEST_DIR) ensureConsole(CONSOLE_BUILD_DIR, (line) => process.stdout.write(`[console build] ${line}\n`));
  const stack = await TestStack.start({ ...options, env: { CONSOLE_DIR: CONSOLE_BUILD_DIR, ...options.env } });
  const vsphere = await startFakeVSphere(VSPHERE.user, VSPHERE.password);
  const admin = new ZStackClient(stack.baseUrl);
  await admin.login();
  // playwright-core gives every launch a fresh user data dir of its own (removed when the browser closes).
  let browser: Browser;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM_BIN,
      headless: true,
      args: [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync',
      ],
    });
  } catch (error) {
    await vsphere.close();
    await stack.stop();
    throw error;
  }
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];
  const harness: ConsoleHarness = {
    stack, vsphere, browser, admin, problems,
    consoleUrl: `${stack.baseUrl}/console`,
    async newPage() {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      contexts.push(context);
      context.setDefaultTimeout(15_000);
      const page = await context.newPage();
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error' && !/Failed to load resource/.test(message.text())) problems.push(`console error: ${message.text()}`);
      });
      // A Content-Security-Policy violation shows as a console error ("Refused to ..."): caught above.
      return page;
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      // The fake vSphere in use now (a test may have replaced it, restarted on its port).
      await harness.vsphere.close();
      await stack.stop();
    },
  };
  return harness;
}

/** Logs in through the login page (as an account, or as an IAM2 virtual ID) and waits for the shell. */
export async function login(page: Page, consoleUrl: string, name: string, password: string, as: 'account' | 'virtualId' = 'account'): Promise<void> {
  await page.goto(consoleUrl);
  await page.getByText(as === 'virtualId' ? 'IAM2 virtual ID' : 'Account', { exact: true }).click();
  await page.getByLabel(as === 'account' ? 'Account name' : 'Virtual ID name').fill(name);
  await page.getByLabel(/^Password/).fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('button', { name: 'Log out' }).waitFor();
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

let axeSource: string | null = null;

/**
 * axe-core's scan of the page as it is (its source evaluated in the page: an injected script tag would
 * be refused by the console's CSP). Fails on any serious or critical violation, printing them all.
 */
export async function axeScan(page: Page, what: string): Promise<void> {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(axeSource);
  // Strings, not functions: this file is type-checked without the DOM lib.
  const violations = await page.evaluate<AxeViolation[]>(`window.axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations)`);
  const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (violations.length > 0) {
    const lines = violations.map((v) => `  [${v.impact}] ${v.id}: ${v.help}\n${v.nodes.slice(0, 5).map((n) => `      ${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`.replace(/\n/g, ' ')).join('\n')}`);
    process.stdout.write(`axe on ${what}: ${violations.length} violation(s)\n${lines.join('\n')}\n`);
  }
  expect(blocking.map((v) => `${v.id} (${v.impact}): ${v.help}`)).toEqual([]);
}

let printedFolder = false;

/** A full-page PNG under test-output/console-screenshots/ (gitignored). */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  if (!printedFolder) {
    printedFolder = true;
    process.stdout.write(`console screenshots: ${SCREENSHOT_DIR}\n`);
  }
  return file;
}

/** The console's session in the page's sessionStorage (null when logged out). */
export async function storedSession(page: Page): Promise<{ uuid: string; name: string; accountUuid: string } | null> {
  return JSON.parse(await page.evaluate<string>(`window.sessionStorage.getItem('cp.console.session') ?? 'null'`));
}

/** How many keys the page's localStorage and sessionStorage hold. */
export async function storageSizes(page: Page): Promise<{ local: number; session: number }> {
  return page.evaluate<{ local: number; session: number }>(`({ local: window.localStorage.length, session: window.sessionStorage.length })`);
}

/** A normal account made over the ZStack API, with its clear password (for the login page). */
export async function createAccount(admin: ZStackClient, name: string, password = `${name}-Pw-1!`): Promise<{ uuid: string; name: string; password: string }> {
  const r = await admin.job('POST', '/zstack/v1/accounts', { params: { name, password: sha512Hex(password) } });
  if (r.status !== 200) throw new Error(`CreateAccount ${name}: ${r.status} ${r.text}`);
  return { uuid: r.json.inventory.uuid, name, password };
}

/** Writes a small JSON of figures next to the screenshots (bundle size, load time) for the report. */
export function recordFigure(name: string, value: unknown): void {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = join(SCREENSHOT_DIR, 'figures.json');
  const figures = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  figures[name] = value;
  writeFileSync(file, `${JSON.stringify(figures, null, 2)}\n`);
}
