import { isSnapshottable, type CheckpointStore } from './checkpoints';
import { readChunks } from './upcasting';
import { EventStoreUnavailableError, streamCategory, type EventStore, type StoredEvent, type StreamFilter, type Subscription } from './port';

const CATCH_UP_RETRY_MS = 120_000;

/**
 * A busy or restarting server may time a start-up read or subscribe out (seen at 1,000,000 events
 * with every app starting at once): try again until the deadline rather than fail the service's start.
 */
async function untilAvailable<T>(deadline: number, attempt: () => Promise<T>): Promise<T> {
  for (let pause = 100; ; pause = Math.min(pause * 2, 5000)) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof EventStoreUnavailableError) || Date.now() + pause > deadline) throw error;
      await new Promise((r) => setTimeout(r, pause));
    }
  }
}

/** Checkpoints of a projection: the model saved with its position, so a restart resumes from there. */
export interface CheckpointOptions {
  /** Unique per read model (and per context): the checkpoint's name. */
  name: string;
  store: CheckpointStore;
  /** How often a changed model is saved (default 30 s); it is also saved when the projection stops. */
  intervalMs?: number;
}

/** A read model fed by the log: `apply` must be synchronous and must not perform side effects. */
export interface ReadModel {
  readonly filter: StreamFilter;
  apply(event: StoredEvent): void;
}

/**
 * Runs a read model from the log: a catch-up subscription from the start, the position applied,
 * and `waitFor(position)` for read-your-writes.
 *
 * The catch-up reads only the model's streams. The live subscription follows every stream of the
 * store (the service's context) and applies only the model's, so the projection knows how far it
 * has seen the whole log: a position of another model's write (a session's latest, in
 * read-your-writes) is reached without asking the store anything.
 */
export class Projection {
  /** The position of the last event of this model's streams applied. */
  private applied: bigint | null = null;
  /** Every event of the log up to here has been seen (and applied when it is this model's). */
  private through: bigint | null = null;
  private readonly categories: ReadonlySet<string> | null;
  private subscription: Subscription | null = null;
  private waiters: Array<{ position: bigint; resolve: (reached: boolean) => void; timer: NodeJS.Timeout }> = [];
  private wakeScheduled = false;

  private saveTimer: NodeJS.Timeout | null = null;
  private savedAt: bigint | null = null;
  /** The store's identity, which checkpoints carry (null: the store has none). */
  private storeIdentity: string | null = null;
  /** Why the last start did not resume from the saved checkpoint, when it did not. */
  checkpointIgnored: string | null = null;
  /** Where the last start resumed from (null: the start of the log). */
  resumedFrom: bigint | null = null;
  /** Events applied since this projection started (after its checkpoint, when it resumed from one). */
  eventsApplied = 0;

  constructor(private readonly store: EventStore, private readonly model: ReadModel, private readonly checkpoint?: CheckpointOptions) {
    const categories = model.filter.categories;
    this.categories = categories?.length ? new Set(categories) : null;
  }

  get position(): bigint | null {
    return this.applied;
  }

  /**
   * Resumes from the model's checkpoint when it has one (else from the start of the log), replays
   * the log in pages until it is read to the end, then follows it live from there.
   */
  async start(): Promise<void> {
    await this.resume();
    const deadline = Date.now() + CATCH_UP_RETRY_MS;
    await untilAvailable(deadline, () => this.catchUp());
    this.through = this.applied;
    this.subscription = await untilAvailable(deadline, () => this.store.subscribeAll({
      from: this.applied,
      onEvent: (event) => this.onLiveEvent(event),
    }));
  }

  /** Reads the model's streams to the end of the log; a retry goes on from what was applied. */
  private async catchUp(): Promise<void> {
    for await (const chunk of readChunks(this.store, this.applied, this.model.filter)) {
      for (const event of chunk) this.onEvent(event);
    }
  }

  async stop(): Promise<void> {
    await this.subscription?.close();
    this.subscription = null;
    if (this.saveTimer) clearInterval(this.saveTimer);
    this.saveTimer = null;
    await this.saveCheckpoint().catch(() => undefined);
    for (const w of this.waiters.splice(0)) {
      clearTimeout(w.timer);
      w.resolve(false);
    }
  }

  /** The model this projection feeds (its content changes, never the object: see `rebuild`). */
  get readModel(): ReadModel {
    return this.model;
  }

  /**
   * Rebuilds the model from the log beside the live one, then swaps it in: `fresh` (an empty model
   * of the same class) catches up from the start of the log while the live model keeps serving;
   * once it has applied exactly what the live one has, its content replaces the live model's in one
   * synchronous step, so a query sees either the old model or the new one, complete. The live
   * subscription then goes on feeding the new content. Returns the events replayed.
   */
  async rebuild(fresh: ReadModel, pageSize = 10_000): Promise<number> {
    let position: bigint | null = null;
    let replayed = 0;
    for (;;) {
      const page = await this.store.readAll(position, { filter: this.model.filter, limit: pageSize });
      for (const event of page) fresh.apply(event);
      replayed += page.length;
      if (page.length > 0) position = page[page.length - 1].position;
      if (page.length === pageSize) continue;
      // Exactly where the live model is: swap now, before another event can be applied to it.
      if (position === this.applied) {
        Object.assign(this.model, fresh);
        return replayed;
      }
      // Ahead of the live model (its subscription lags by a few events): let it catch up.
      if (position !== null && (this.applied === null || position > this.applied)) await new Promise((r) => setTimeout(r, 5));
    }
  }

  private async resume(): Promise<void> {
    const c = this.checkpoint;
    if (!c || !isSnapshottable(this.model)) return;
    const saved = await c.store.load(c.name).catch(() => null);
    // The position of a checkpoint means something only in the log it was taken from.
    let identity: string | null = null;
    let identityKnown = true;
    try {
      identity = this.store.storeIdentity ? await this.store.storeIdentity() : null;
    } catch (err) {
      identityKnown = false;
      if (saved) this.ignoreCheckpoint(`the store's identity cannot be read (${err instanceof Error ? err.message : String(err)})`);
    }
    this.storeIdentity = identityKnown ? identity : null;
    const head = saved && identityKnown && saved.store === identity ? await this.store.headPosition().catch(() => undefined) : undefined;
    if (saved && identityKnown && saved.store !== identity) {
      this.ignoreCheckpoint(`it was taken on store ${String(saved.store)}, this is ${String(identity)}`);
    } else if (saved && head !== undefined && (head === null || head < saved.position)) {
      // Same identity, yet the log ends before the checkpoint: resuming would skip the next events.
      this.ignoreCheckpoint(`its position ${saved.position} is past the head of the log (${String(head)})`);
    } else if (saved && identityKnown) {
      this.model.restore(saved.data);
      this.applied = saved.position;
      this.savedAt = saved.position;
      this.resumedFrom = saved.position;
    }
    this.saveTimer = setInterval(() => void this.saveCheckpoint().catch(() => undefined), c.intervalMs ?? 30_000);
    this.saveTimer.unref();
  }

  private ignoreCheckpoint(why: string): void {
    const name = this.checkpoint?.name ?? '';
    this.checkpointIgnored = why;
    process.emitWarning(`checkpoint ${name} ignored: ${why}; replaying the log from the start`, { code: 'CP_CHECKPOINT_OTHER_STORE' });
  }

  /** Saves the model with its position, when it changed since the last save. */
  async saveCheckpoint(): Promise<void> {
    const c = this.checkpoint;
    if (!c || !isSnapshottable(this.model) || this.applied === null || this.applied === this.savedAt) return;
    const position = this.applied;
    // Taken synchronously: the model and its position agree.
    const data = this.model.snapshot();
    if (this.storeIdentity === null && this.store.storeIdentity) {
      // Unknown at start (the store was unreachable): learn it now, or save nothing.
      this.storeIdentity = await this.store.storeIdentity();
    }
    await c.store.save(c.name, { position, data, store: this.storeIdentity });
    this.savedAt = position;
  }

  /**
   * Resolves true once every event of this model's streams up to `position` is applied, false after
   * `timeoutMs`. The position may be another model's (a session's latest write, whichever model it
   * was for): the live subscription sees every stream, so it reaches any position of the log.
   * No store round trip: a command waits only for its own append, a query for its session's writes.
   */
  waitFor(position: bigint, timeoutMs: number): Promise<boolean> {
    if (this.reached(position)) return Promise.resolve(true);
    if (timeoutMs <= 0) return Promise.resolve(false);
    return new Promise((resolve) => {
      const waiter = {
        position,
        resolve,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          resolve(false);
        }, timeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  private reached(position: bigint): boolean {
    return (this.applied !== null && this.applied >= position) || (this.through !== null && this.through >= position);
  }

  private onLiveEvent(event: StoredEvent): void {
    if (this.categories === null || this.categories.has(streamCategory(event.streamId))) this.onEvent(event);
    if (this.through === null || event.position > this.through) {
      this.through = event.position;
      this.scheduleWake();
    }
  }

  private onEvent(event: StoredEvent): void {
    // A commit's events share a position on some adapters: only an older position is a replay.
    if (this.applied !== null && event.position < this.applied) return;
    this.model.apply(event);
    this.eventsApplied++;
    this.applied = event.position;
    this.scheduleWake();
  }

  /**
   * Waiters are woken on the next macrotask, not at once: several events of one commit can share a
   * position, and a waiter must not see the first of them without the rest.
   */
  private scheduleWake(): void {
    if (this.wakeScheduled || this.waiters.length === 0) return;
    this.wakeScheduled = true;
    setImmediate(() => {
      this.wakeScheduled = false;
      this.waiters = this.waiters.filter((w) => {
        if (!this.reached(w.position)) return true;
        clearTimeout(w.timer);
        w.resolve(true);
        return false;
      });
    });
  }
}
