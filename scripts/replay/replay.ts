import type { Context } from '@cp/contracts';
import { readChunks, type EventStore, type ReadModel, type Snapshottable, type StoredEvent } from '@cp/event-store';
import { AccessKeyReadModel, AccountReadModel, IAM2VirtualIDReadModel } from '@cp/read-models/identity';
import { TemplateReadModel } from '@cp/read-models/baremetal';
import { PlatformReadModel } from '@cp/read-models/platform';

export type Model = ReadModel & Snapshottable;

/** The read models of each context, empty, under the names their services give them (READ_MODELS). */
export function freshModels(context: Context): Array<{ name: string; model: Model }> {
  switch (context) {
    case 'identity': {
      const accounts = new AccountReadModel();
      return [
        { name: 'identity.accounts', model: accounts },
        { name: 'identity.iam2-virtual-ids', model: new IAM2VirtualIDReadModel() },
        { name: 'identity.access-keys', model: new AccessKeyReadModel(accounts) },
      ];
    }
    case 'baremetal':
      return [{ name: 'baremetal.templates', model: new TemplateReadModel() }];
    case 'platform':
      return [{ name: 'platform.platforms', model: new PlatformReadModel() }];
    default:
      return [];
  }
}

export interface ReplayProgress {
  events: number;
  position: bigint | null;
}

/** Where each model stops: a position (inclusive) or a time; by default the end of the log. */
export interface ReplayLimit {
  toPosition?: bigint;
  toTime?: number;
  /** Per model: stop applying after this position (to compare with a live model at that position). */
  perModel?: Record<string, bigint | null>;
}

/**
 * Rebuilds the context's models from its log in one pass (pages of `pageSize`), each event handed to
 * the models that follow its stream's category. `onProgress` is called after every page.
 */
export async function replayContext(
  store: EventStore, models: Array<{ name: string; model: Model }>, limit: ReplayLimit,
  onProgress: (p: ReplayProgress) => void,
): Promise<ReplayProgress> {
  const followers = models.map(({ name, model }) => ({
    name, model, categories: new Set(model.filter.categories ?? []), until: limit.perModel?.[name],
  }));
  const done: ReplayProgress = { events: 0, position: null };
  const apply = (event: StoredEvent) => {
    const category = event.streamId.slice(0, event.streamId.indexOf('-'));
    for (const f of followers) {
      if (f.categories.size > 0 && !f.categories.has(category)) continue;
      if (f.until !== undefined && (f.until === null || event.position > f.until)) continue;
      f.model.apply(event);
    }
  };
  for await (const chunk of readChunks(store, null, undefined)) {
    for (const event of chunk) {
      if (limit.toPosition !== undefined && event.position > limit.toPosition) return done;
      if (limit.toTime !== undefined && Date.parse(event.metadata.occurredAt) > limit.toTime) return done;
      apply(event);
      done.events++;
      done.position = event.position;
    }
    onProgress(done);
  }
  return done;
}
