import { STACK_APPS, type AppName, type StackApp } from './stack-apps';

/** A started child the wait watches: one that exits fails it at once, with its output. */
export interface Watched {
  readonly name: string;
  readonly alive: boolean;
  output(): string;
}

export interface HealthWait {
  /** Children that must stay up meanwhile (not for supervised ones, which get restarted). */
  children?: readonly Watched[];
  /** More to say when the wait fails (a launcher's output, say). */
  details?: () => string;
  /** Ends the wait early, quietly: the caller is stopping. */
  cancelled?: () => boolean;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `url` (the gateway's /health) until it answers 200, bounded by `timeoutMs`. */
export async function waitHealthy(url: string, timeoutMs: number, options: HealthWait = {}): Promise<void> {
  const children = options.children ?? [];
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (options.cancelled?.()) return;
    const dead = children.find((c) => !c.alive);
    if (dead) throw new Error(`${dead.name} exited before the stack was healthy:\n${dead.output()}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
      last = `${res.status} ${await res.text()}`;
      if (res.status === 200) return;
    } catch (error) {
      last = (error as Error).message;
    }
    await sleep(250);
  }
  const more = [...children.map((c) => c.output()), options.details?.() ?? ''].filter(Boolean);
  throw new Error(`the stack did not become healthy within ${timeoutMs / 1000} s (last: ${last})${more.length ? `:\n${more.join('\n')}` : ''}`);
}

export interface LaunchOptions<C> {
  /** The gateway's /health. */
  healthUrl: string;
  timeoutMs: number;
  /** How to watch a started child while waiting (omit for supervised children: they are restarted, not fatal). */
  watch?: (child: C) => Watched;
  /** True once the caller is stopping (a Ctrl-C during start-up): start nothing more, stop waiting. */
  cancelled?: () => boolean;
}

/**
 * Starts every app of STACK_APPS in start order with `start` (which spawns it, or asks a supervisor
 * to), then waits for the gateway's /health to answer 200, failing fast if a watched child exits.
 * Returns the started children by app name (fewer when cancelled).
 */
export async function launchApps<C>(start: (app: StackApp) => C | Promise<C>, options: LaunchOptions<C>): Promise<Map<AppName, C>> {
  const started = new Map<AppName, C>();
  for (const app of STACK_APPS) {
    if (options.cancelled?.()) return started;
    started.set(app.name, await start(app));
  }
  const watch = options.watch;
  const children = watch ? [...started.values()].map((c) => watch(c)) : [];
  await waitHealthy(options.healthUrl, options.timeoutMs, { children, cancelled: options.cancelled });
  return started;
}
