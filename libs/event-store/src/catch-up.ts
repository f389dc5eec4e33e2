import { EventStoreUnavailableError, type StoredEvent, type SubscribeOptions, type Subscription } from './port';

/** What an adapter provides so that one shared loop can follow its log, across drops. */
export interface CommitFeed {
  /**
   * Starts following the log after `from` (exclusive). Resolves once established, with whole
   * commits (the events of one commit, sharing one position) in log order. The iterable ends or
   * throws when the feed drops, and ends promptly once `signal` aborts; a feed established after
   * `signal` aborted releases itself and throws.
   */
  open(from: bigint | null, signal: AbortSignal): Promise<AsyncIterable<StoredEvent[]>>;
  /** Resolves true once another attempt may succeed (e.g. reconnected), false when the store is gone for good. */
  ready(signal: AbortSignal): Promise<boolean>;
}

const MAX_BACKOFF_MS = 5_000;

/** Exponential with jitter, so that many subscriptions do not retry in lockstep after a restart. */
const backoffMs = (failures: number): number => Math.min(MAX_BACKOFF_MS, 100 * 2 ** failures) * (0.5 + Math.random() / 2);

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

const aborted = (signal: AbortSignal): Promise<null> =>
  new Promise((resolve) => signal.addEventListener('abort', () => resolve(null), { once: true }));

const describeError = (err: unknown): string => (err instanceof Error ? `${err.name}: ${err.message}` : String(err));

/** Connectivity trouble is expected and retried quietly; anything else would otherwise be invisible. */
function warnUnlessUnavailable(what: string, err: unknown): void {
  if (err instanceof EventStoreUnavailableError) return;
  process.emitWarning(`${what}; retrying`, { code: 'CP_EVENT_SUBSCRIPTION_RETRY', detail: describeError(err) });
}

/**
 * Opens a catch-up subscription: the first attempt is awaited, so a store that cannot be reached
 * rejects here; after that, drops are retried by the subscription itself, resuming after the last
 * commit handed to `onEvent`. `live` holds the open subscriptions so that the store can close them.
 */
export async function followLog(feed: CommitFeed, options: SubscribeOptions, live: Set<Subscription>): Promise<Subscription> {
  const control = new AbortController();
  const first = await feed.open(options.from, control.signal);
  return new CatchUpSubscription(feed, options, control, first, live);
}

class CatchUpSubscription implements Subscription {
  private last: bigint | null;
  private readonly finished: Promise<void>;

  constructor(
    private readonly feed: CommitFeed,
    private readonly options: SubscribeOptions,
    private readonly control: AbortController,
    first: AsyncIterable<StoredEvent[]>,
    live: Set<Subscription>,
  ) {
    this.last = options.from;
    live.add(this);
    this.finished = this.run(first).finally(() => live.delete(this));
  }

  async close(): Promise<void> {
    this.control.abort();
    await this.finished;
  }

  private async run(first: AsyncIterable<StoredEvent[]>): Promise<void> {
    const { signal } = this.control;
    let commits: AsyncIterable<StoredEvent[]> | null = first;
    let failures = 0;
    while (!signal.aborted) {
      if (commits) {
        failures = (await this.drain(commits, signal)) ? 0 : failures + 1;
        commits = null;
        continue;
      }
      if (!(await this.feed.ready(signal))) return;
      await delay(backoffMs(failures), signal);
      if (signal.aborted) return;
      commits = await this.reopen(signal);
      if (commits) this.notifyResubscribed();
      else failures++;
    }
  }

  /** A feed that opens after `close()` cleans itself up (feeds check the signal): close need not wait for it. */
  private async reopen(signal: AbortSignal): Promise<AsyncIterable<StoredEvent[]> | null> {
    try {
      return await Promise.race([this.feed.open(this.last, signal), aborted(signal)]);
    } catch (err) {
      if (!signal.aborted) warnUnlessUnavailable(`subscription could not resume after position ${String(this.last)}`, err);
      return null;
    }
  }

  private notifyResubscribed(): void {
    try {
      this.options.onResubscribe?.(this.last);
    } catch (err) {
      process.emitWarning('onResubscribe threw', { code: 'CP_EVENT_SUBSCRIPTION_CALLBACK', detail: describeError(err) });
    }
  }

  /** Hands commits over until the feed drops or the subscription closes; true when it delivered any. */
  private async drain(commits: AsyncIterable<StoredEvent[]>, signal: AbortSignal): Promise<boolean> {
    let delivered = false;
    try {
      for await (const commit of commits) {
        if (signal.aborted) break;
        await this.deliver(commit, signal);
        delivered = true;
      }
    } catch (err) {
      if (!signal.aborted) warnUnlessUnavailable(`subscription dropped after position ${String(this.last)}`, err);
    }
    return delivered;
  }

  private async deliver(commit: StoredEvent[], signal: AbortSignal): Promise<void> {
    for (const event of commit) await this.handle(event, signal);
    // Resume points are commit boundaries: a drop mid-commit redelivers none of its events twice.
    this.last = commit[commit.length - 1].position;
  }

  /**
   * A failing handler gets the same event again (with backoff) rather than losing it: projections
   * must not skip events. The port has no error channel, so the failure surfaces as a process warning.
   */
  private async handle(event: StoredEvent, signal: AbortSignal): Promise<void> {
    for (let failures = 0; ; failures++) {
      try {
        await this.options.onEvent(event);
        return;
      } catch (err) {
        process.emitWarning(`event handler failed on ${event.type} ${event.eventId} at position ${event.position}; redelivering`, {
          code: 'CP_EVENT_HANDLER_FAILED',
          detail: describeError(err),
        });
        await delay(backoffMs(failures), signal);
        if (signal.aborted) throw signal.reason;
      }
    }
  }
}
