import { Controller, Inject, type Type } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { adminOnly, querySubject, commandSubject, requireSession, type Context } from '@cp/contracts';
import { positionToString, type Projection, type ReadModel, type Snapshottable } from '@cp/event-store';
import type { BusMessage, HandlerOutcome } from './bus-message';
import { RemoteAuthenticator } from './remote-authenticator';

/** One read model of a service, for the operators' tools (`npm run replay`). */
export interface ManagedReadModel {
  name: string;
  projection: Projection;
  /** A new, empty model of the same kind (for a rebuild beside the live one). */
  fresh(): ReadModel;
}

export const READ_MODELS = Symbol('READ_MODELS');

/** `<context>.query.ReadModelSnapshot` and `<context>.cmd.RebuildReadModels` (the built-in admin only). */
export const readModelSubjects = (context: Context) => ({
  snapshot: querySubject(context, 'ReadModelSnapshot'),
  rebuild: commandSubject(context, 'RebuildReadModels'),
});

/**
 * The operator's view of a service's read models, answered by every domain service: their content
 * and position (what `npm run replay -- --verify` compares a rebuild against), and a live rebuild
 * that swaps each model in once it has caught up (Projection.rebuild).
 */
export function readModelsController(context: Context): Type<unknown> {
  const subjects = readModelSubjects(context);

  @Controller()
  class ReadModelsHandler {
    constructor(@Inject(READ_MODELS) private readonly models: ManagedReadModel[], private readonly auth: RemoteAuthenticator) {}

    @MessagePattern(subjects.snapshot)
    async snapshot(msg: BusMessage): Promise<HandlerOutcome> {
      adminOnly(requireSession(await this.auth.authenticate(msg.auth)), `${context} read models`);
      const models = Object.fromEntries(this.models.map(({ name, projection }) => [name, {
        position: positionToString(projection.position),
        data: (projection.readModel as Partial<Snapshottable>).snapshot?.() ?? null,
      }]));
      return { result: { models } };
    }

    @MessagePattern(subjects.rebuild)
    async rebuild(msg: BusMessage): Promise<HandlerOutcome> {
      adminOnly(requireSession(await this.auth.authenticate(msg.auth)), `${context} read models`);
      const rebuilt: Record<string, { events: number; ms: number }> = {};
      for (const { name, projection, fresh } of this.models) {
        const started = Date.now();
        const events = await projection.rebuild(fresh());
        rebuilt[name] = { events, ms: Date.now() - started };
      }
      return { result: { rebuilt } };
    }
  }
  return ReadModelsHandler;
}
