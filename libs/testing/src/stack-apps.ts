import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Context } from '@cp/contracts';
import { BUILD_ROOT, RUNNING_COMPILED } from './children';

/**
 * THE table of the control plane's apps, for everything that launches them: `npm start`
 * (scripts/start.ts), the benchmarks (bench/support.ts) and the tests (test/support/). Data only:
 * names and paths, no import of the apps themselves (libs stay below apps).
 */

/** The domain services, in start order. */
export const SERVICES = ['identity-svc', 'baremetal-svc', 'platform-svc', 'audit-svc'] as const;
export type ServiceName = (typeof SERVICES)[number];
export type AppName = ServiceName | 'gateway';

export interface StackApp {
  readonly name: AppName;
  /** A service's bus context (its subjects start with it); null for the gateway, which speaks to them all. */
  readonly context: Context | null;
  /** The app's entry point, relative to the repository root. */
  readonly entry: string;
  /** The compiled entry (`npm run build`), relative to the build's out dir: `apps/<name>/src/main.js` (dist/apps/<name>/src/main.js). */
  readonly builtEntry: string;
  /** Whether it gets the master key (ENCRYPTION_KEYS_FILE / ENCRYPTION_KEY): it seals or unwraps secrets. */
  readonly masterKey: boolean;
}

export interface ServiceApp extends StackApp {
  readonly name: ServiceName;
  readonly context: Context;
}

const entryOf = (name: AppName) => `apps/${name}/src/main.ts`;
const builtEntryOf = (name: AppName) => `apps/${name}/src/main.js`;
const service = (name: ServiceName, context: Context, masterKey = false): ServiceApp =>
  ({ name, context, entry: entryOf(name), builtEntry: builtEntryOf(name), masterKey });

/** Every app in start order: the services, then the gateway (which answers /health once it reaches them). */
export const STACK_APPS: readonly StackApp[] = [
  service('identity-svc', 'identity', true),
  service('baremetal-svc', 'baremetal'),
  service('platform-svc', 'platform', true),
  service('audit-svc', 'audit'),
  { name: 'gateway', context: null, entry: entryOf('gateway'), builtEntry: builtEntryOf('gateway'), masterKey: false },
];

/**
 * The entry to run `app` from, for spawnNode: the compiled one (an absolute path in the out dir) when
 * the caller itself runs compiled (`npm run start:prod`) or `builtIn` names an out dir; else the TypeScript one.
 */
export function runnableEntry(app: StackApp, builtIn: string | undefined = RUNNING_COMPILED ? BUILD_ROOT : undefined): string {
  return builtIn ? join(builtIn, app.builtEntry) : app.entry;
}

export function stackApp(name: ServiceName): ServiceApp;
export function stackApp(name: AppName): StackApp;
export function stackApp(name: AppName): StackApp {
  const found = STACK_APPS.find((a) => a.name === name);
  if (!found) throw new Error(`no app named ${name}`);
  return found;
}

/**
 * Stop order, group by group (the apps of a group together): the gateway first, so that no request
 * reaches a service that is going away, then the services. nats-server, the caller's, goes last.
 */
export const STOP_ORDER: ReadonlyArray<readonly AppName[]> = [['gateway'], SERVICES];

/** Stops `children` (by app name) in STOP_ORDER; names without a child are skipped. */
export async function stopInOrder<C>(children: ReadonlyMap<string, C>, stop: (child: C, name: AppName) => Promise<void>): Promise<void> {
  for (const group of STOP_ORDER) {
    await Promise.all(group.filter((name) => children.has(name)).map((name) => stop(children.get(name)!, name)));
  }
}

/** An app's environment: `env`, plus the master key's variables for the apps that take it. */
export const appEnv = <E extends Record<string, string | undefined>>(app: StackApp, env: E, masterKeyEnv: Record<string, string>): E =>
  (app.masterKey ? { ...env, ...masterKeyEnv } : env);

/** Where a test's or a bench's stack listens: its own NATS, the gateway on `port` of the loopback interface only. */
export const stackEnv = (natsUrl: string, port: number): Record<string, string> => ({ NATS_URL: natsUrl, PORT: String(port), HOST: '127.0.0.1' });

/** A fresh master key for a test's or a bench's stack (`npm start` keeps its own in DATA_DIR/keys.json). */
export const freshMasterKeyEnv = (): { ENCRYPTION_KEY: string } => ({ ENCRYPTION_KEY: randomBytes(32).toString('base64') });

/**
 * What tests add: cheap password hashing (the benches measure the real cost), and the gateway's rate and
 * concurrency limits off (every test client is 127.0.0.1; test/abuse-limits.e2e.spec.ts turns them on).
 */
export const TEST_APP_ENV: Readonly<Record<string, string>> = {
  PASSWORD_SCRYPT_LOG2N: '12', RATE_LIMIT_LOGIN_PER_MIN: '0', RATE_LIMIT_API_PER_SEC: '0', MAX_IN_FLIGHT_PER_CLIENT: '0',
  // npm start serves the console as built, without building it first (test:console builds its own).
  CONSOLE_BUILD: 'off',
};
