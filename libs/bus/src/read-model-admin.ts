import { Inject } from '@nestjs/common';
import { CommandHandler, QueryHandler, type ICommandHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ReadModelSnapshotMsg, RebuildReadModelsMsg, subjectOf, type Context } from '@cp/contracts';
import { positionToString, type Projection, type ReadModel, type Snapshottable } from '@cp/event-store';
import type { HandlerOutcome } from './bus-message';
import { meteredRebuild } from '@cp/observability';

/** One read model of a service, for the operators' tools (`npm run replay`). */
export interface ManagedReadModel {
  name: string;
  projection: Projection;
  /** A new, empty model of the same kind (for a rebuild beside the live one). */
  fresh(): ReadModel;
}

export const READ_MODELS = Symbol('READ_MODELS');

/** `<context>.query.ReadModelSnapshot` and `<context>.cmd.RebuildReadModels` (the built-in admin only: registry `access: 'admin'`). */
export const readModelSubjects = (context: Context) => ({
  snapshot: subjectOf({ context, kind: 'query', name: 'ReadModelSnapshot' }),
  rebuild: subjectOf({ context, kind: 'command', name: 'RebuildReadModels' }),
});

/** The operator's view of a service's read models: their content and position (what `npm run replay -- --verify` compares a rebuild against). */
@QueryHandler(ReadModelSnapshotMsg)
export class ReadModelSnapshotHandler implements IQueryHandler<ReadModelSnapshotMsg, HandlerOutcome> {
  constructor(@Inject(READ_MODELS) private readonly models: ManagedReadModel[]) {}

  async execute(): Promise<HandlerOutcome> {
    const models = Object.fromEntries(this.models.map(({ name, projection }) => [name, {
      position: positionToString(projection.position),
      data: (projection.readModel as Partial<Snapshottable>).snapshot?.() ?? null,
    }]));
    return { result: { models } };
  }
}

/** A live rebuild of every read model, each swapped in once it has caught up (Projection.rebuild). */
@CommandHandler(RebuildReadModelsMsg)
export class RebuildReadModelsHandler implements ICommandHandler<RebuildReadModelsMsg, HandlerOutcome> {
  constructor(@Inject(READ_MODELS) private readonly models: ManagedReadModel[]) {}

  async execute(): Promise<HandlerOutcome> {
    const rebuilt: Record<string, { events: number; ms: number }> = {};
    for (const { name, projection, fresh } of this.models) {
      const started = Date.now();
      const events = await meteredRebuild(name, fresh(), (model) => projection.rebuild(model), () => projection.position);
      rebuilt[name] = { events, ms: Date.now() - started };
    }
    return { result: { rebuilt } };
  }
}

/** The handlers every service with read models registers (READ_MODELS lists them). */
export const READ_MODEL_HANDLERS = [ReadModelSnapshotHandler, RebuildReadModelsHandler];
