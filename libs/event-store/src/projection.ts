import { isSnapshottable, type CheckpointStore } from './checkpoints';
import { readChunks } from './upcasting';
import type { EventStore, StoredEvent, StreamFilter, Subscription } from './port';

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
 */
export class Projection {
  private applied: bigint | null = null;
  /** Every event of this model's streams up to here is applied, though none is at this position: see `waitFor`. */
  private complete: bigint | null = null;
  private subscription: Subscription | null = null;
  private waiters: Array<{ position: bigint; resolve: (reached: boolean) => void; timer: NodeJS.Timeout }> = [];
  private wakeScheduled = false;

  private saveTimer: NodeJS.Timeout | null = null;
  private savedAt: bigint | null = null;
  /** Where the last start resumed from (null: the start of the log). */
  resumedFrom: bigint | null = null;
  /** Events applied since this projection started (after its checkpoint, when it resumed from one). */
  eventsApplied = 0;

  constructor(private readonly store: EventStore, private readonly model: ReadModel, private readonly checkpoint?: CheckpointOptions) {}

  get position(): bigint | null {
    return this.applied;
  }

  /**
   * Resumes from the model's checkpoint when it has one (else from the start of the log), replays
   * the log in pages until it is read to the end, then follows it live from there.
   */
  async start(): Promise<void> {
    await this.resume();
    for await (const chunk of readChunks(this.store, this.applied, this.model.filter)) {
      for (const event of chunk) this.onEvent(event);
    }
    this.subscription = await this.store.subscribeAll({
      from: this.applied,
      filter: this.model.filter,
      onEvent: (event) => this.onEvent(event),
    });
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
    if (saved) {
      this.model.restore(saved.data);
      this.applied = saved.position;
      this.savedAt = saved.position;
      this.resumedFrom = saved.position;
    }
    this.saveTimer = setInterval(() => void this.saveCheckpoint().catch(() => undefined), c.intervalMs ?? 30_000);
    this.saveTimer.unref();
  }

  /** Saves the model with its position, when it changed since the last save. */
  async saveCheckpoint(): Promise<void> {
    const c = this.checkpoint;
    if (!c || !isSnapshottable(this.model) || this.applied === null || this.applied === this.savedAt) return;
    const position = this.applied;
    // Taken synchronously: the model and its position agree.
    const data = this.model.snapshot();
    await c.store.save(c.name, { position, data });
    this.savedAt = position;
  }

  /**
   * Resolves true once every event of this model's streams up to `position` is applied, false after
   * `timeoutMs`. The position may be another model's: a service with several projections gets the
   * position of a session's latest write, whichever model it was for, and this model never reaches a
   * position it does not follow. So when it has not applied that far, it asks the store for its next
   * event after what it has applied: none up to `position` means nothing to wait for (and, as
   * positions only grow, never will be); else it waits for that one and asks again.
   */
  async waitFor(position: bigint, timeoutMs: number): Promise<boolean> {
    if (this.reached(position)) return true;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      let next: bigint | null;
      try {
        next = await this.nextUnapplied(deadline - Date.now());
      } catch {
        // The store cannot tell now: wait for the position itself, as a model following it would.
        return this.waitApplied(position, deadline - Date.now());
      }
      if (next === null || next > position) {
        if (this.complete === null || this.complete < position) this.complete = position;
        return true;
      }
      if (!(await this.waitApplied(next, deadline - Date.now()))) return false;
      if (this.reached(position)) return true;
    }
  }

  private reached(position: bigint): boolean {
    return (this.applied !== null && this.applied >= position) || (this.complete !== null && this.complete >= position);
  }

  /**
   * The log position of the first event of this model's streams not applied yet, or null when there
   * is none; rejects when the store does not tell within `timeoutMs` (the caller's deadline).
   */
  private async nextUnapplied(timeoutMs: number): Promise<bigint | null> {
    if (timeoutMs <= 0) throw new Error('no time left to ask the store');
    let timer: NodeJS.Timeout | undefined;
    const read = this.store.readAll(this.applied, { filter: this.model.filter, limit: 1 });
    try {
      const [next] = await Promise.race([
        read,
        new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`the store did not answer within ${timeoutMs} ms`)), timeoutMs); }),
      ]);
      return next ? next.position : null;
    } finally {
      clearTimeout(timer);
      // A read that loses the race may still fail later: that is no one's concern any more.
      read.catch(() => undefined);
    }
  }

  private waitApplied(position: bigint, timeoutMs: number): Promise<boolean> {
    if (this.applied !== null && this.applied >= position) return Promise.resolve(true);
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
      const reached = this.applied;
      if (reached === null) return;
      this.waiters = this.waiters.filter((w) => {
        if (w.position > reached) return true;
        clearTimeout(w.timer);
        w.resolve(true);
        return false;
      });
    });
  }
}
