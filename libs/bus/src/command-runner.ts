import { operationError, type ApiMessage } from '@cp/contracts';
import { eventMetadata } from './metadata';
import { OutcomeUnknownError } from './bus-server';
import { countingConflicts, observeConflicts } from '@cp/observability';
import {
  CommandOutcomeUnknownError, ConcurrencyExhaustedError, executeCommand, streamCategory, type EventStore, type Loaded, type Projection,
} from '@cp/event-store';

/** What the command cycle needs to know of one kind of aggregate. */
export interface Aggregate<S, E> {
  streamId(uuid: string): string;
  evolve(state: S | null, event: E): S | null;
  /** The state and version a command starts from, from the read model (may be stale). */
  loaded(uuid: string): Loaded<S> | undefined;
}

export interface CommandDone<S> {
  state: S | null;
  /** Log position of the append; null when the decision produced no events. */
  position: bigint | null;
}

/**
 * The one command cycle of every domain service, whatever the aggregate (accounts, virtual IDs, templates): start from
 * the read model's state (or from the store, when the job was taken over from a dead attempt), decide,
 * append with the expected version (retrying from the store on a conflict), then wait until the read model has applied the append, so that this replica's next
 * query and uniqueness check see it. Each aggregate has an injectable subclass (AccountCommands,
 * IAM2VirtualIDCommands) that binds its store, projection and read model.
 */
export class CommandRunner<S, E extends { type: string; data: object }> {
  constructor(
    private readonly store: EventStore,
    private readonly projection: Projection,
    private readonly aggregate: Aggregate<S, E>,
    private readonly readYourWritesTimeoutMs: number,
  ) {}

  /** Runs one command on the aggregate `uuid`; the events record the call's command id, correlation and caller. */
  async run(message: ApiMessage, uuid: string, decide: (state: S | null) => E[] | Promise<E[]>): Promise<CommandDone<S>> {
    const { bus: msg, auth } = message.call;
    const actor = auth.ok ? auth.caller.accountUuid : null;
    const counted = countingConflicts(this.store);
    const aggregate = streamCategory(this.aggregate.streamId(uuid));
    try {
      const done = await executeCommand<S, E>({
        store: counted.store,
        streamId: this.aggregate.streamId(uuid),
        evolve: this.aggregate.evolve,
        cached: () => this.aggregate.loaded(uuid) ?? { state: null, version: null },
        decide,
        commitId: msg.commandId,
        metadata: eventMetadata(msg, actor),
        recovering: msg.recovering,
      });
      observeConflicts(aggregate, counted.conflicts(), false);
      if (done.position !== null) await this.projection.waitFor(done.position, this.readYourWritesTimeoutMs);
      return { state: done.state, position: done.position };
    } catch (error) {
      observeConflicts(aggregate, counted.conflicts(), error instanceof ConcurrencyExhaustedError);
      if (error instanceof ConcurrencyExhaustedError) throw operationError(error.message);
      if (error instanceof CommandOutcomeUnknownError) throw new OutcomeUnknownError(error.message);
      throw error;
    }
  }
}
