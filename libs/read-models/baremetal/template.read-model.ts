import { Injectable } from '@nestjs/common';
import {
  PRECONFIGURATION_TEMPLATE_STREAM_CATEGORY, type PreconfigurationTemplateEvent, type PreconfigurationTemplateInventory,
} from '@cp/contracts';
import type { ReadModel, Snapshottable } from '@cp/event-store';
import type { QuerySource } from '@cp/query';
import { ContentPool } from './content-pool';
import { evolve, type TemplateState } from '@cp/domain/baremetal';
import { AggregateRows } from '../shared/aggregate-rows';

/**
 * Preconfiguration templates as the log says they are now: the inventories queries return and the
 * state + version each command starts from. Every account may query every template (predefined ones
 * are public in ZStack, and only the admin can add others). Contents are pooled: one copy each.
 */
@Injectable()
export class TemplateReadModel extends AggregateRows<TemplateState, PreconfigurationTemplateEvent> implements ReadModel, Snapshottable {
  readonly filter = { categories: [PRECONFIGURATION_TEMPLATE_STREAM_CATEGORY] };
  private readonly contents = new ContentPool();

  constructor() {
    // `name` (and `uuid`, the rows' key) for queries. Names need not be unique.
    super({ evolve, indexes: { name: (r) => r.state.inventory.name } });
  }

  /** A new content is pooled (the one it replaces released); an unchanged one is kept as it is. */
  protected override admit(next: TemplateState, before: TemplateState | undefined): TemplateState {
    const held = before?.inventory;
    if (held && held.content === next.inventory.content) return next;
    if (held) this.contents.release(held.md5sum, held.content);
    const content = this.contents.acquire(next.inventory.md5sum, next.inventory.content);
    return { ...next, inventory: Object.freeze({ ...next.inventory, content }) };
  }

  protected override removed(state: TemplateState): void {
    this.contents.release(state.inventory.md5sum, state.inventory.content);
  }

  /** Distinct contents held (see ContentPool). */
  get distinctContents(): number {
    return this.contents.size;
  }

  /** What queries run against: the inventories themselves (the query engine copies only the fields asked for). */
  readonly source: QuerySource<PreconfigurationTemplateInventory> = this.sourceOf((r) => r.state.inventory);
}
