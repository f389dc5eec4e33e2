import { Injectable } from '@nestjs/common';
import {
  PRECONFIGURATION_TEMPLATE_STREAM_CATEGORY, type PreconfigurationTemplateEvent, type PreconfigurationTemplateInventory,
} from '@cp/contracts';
import { rowsFromJson, rowsToJson, type Loaded, type ReadModel, type Snapshottable, type StoredEvent } from '@cp/event-store';
import { RowIndexes, type QuerySource } from '@cp/query';
import { ContentPool } from './content-pool';
import { evolve, type TemplateState } from '@cp/domain/baremetal';

interface Row {
  state: TemplateState;
  version: bigint;
  /** The row's place in `rows` (see RowIndexes). */
  seq: number;
}

/**
 * Preconfiguration templates as the log says they are now: the inventories queries return and the
 * state + version each command starts from. Every account may query every template (predefined ones
 * are public in ZStack, and only the admin can add others). Contents are pooled: one copy each.
 */
@Injectable()
export class TemplateReadModel implements ReadModel, Snapshottable {
  readonly filter = { categories: [PRECONFIGURATION_TEMPLATE_STREAM_CATEGORY] };
  private readonly rows = new Map<string, Row>();
  private readonly contents = new ContentPool();
  /** `name` (and `uuid`, the rows' key) for queries. Names need not be unique. */
  private readonly indexes = new RowIndexes<Row>(this.rows, { name: (r) => r.state.inventory.name });

  apply(event: StoredEvent): void {
    const uuid = String(event.data.uuid);
    const row = this.rows.get(uuid);
    // A row remembers the version it was built to: a replayed older commit is a no-op.
    if (row && event.streamVersion < row.version) return;
    const next = evolve(row?.state ?? null, { type: event.type, data: event.data } as PreconfigurationTemplateEvent);
    const before = row?.state.inventory;
    if (!next) {
      if (before) this.contents.release(before.md5sum, before.content);
      if (row) {
        this.rows.delete(uuid);
        this.indexes.update(uuid, row, undefined);
      }
      return;
    }
    let state = next;
    if (!before || before.content !== next.inventory.content) {
      if (before) this.contents.release(before.md5sum, before.content);
      const content = this.contents.acquire(next.inventory.md5sum, next.inventory.content);
      state = { ...next, inventory: Object.freeze({ ...next.inventory, content }) };
    }
    this.set(uuid, row, state, event.streamVersion);
  }

  private set(uuid: string, before: Row | undefined, state: TemplateState, version: bigint): void {
    const row: Row = { state, version, seq: this.indexes.seqFor(before) };
    this.rows.set(uuid, row);
    this.indexes.update(uuid, before, row);
  }

  snapshot(): unknown {
    return rowsToJson(this.rows);
  }

  restore(snapshot: unknown): void {
    for (const [uuid, row] of rowsFromJson<TemplateState>(snapshot)) {
      const i = row.state.inventory;
      const content = this.contents.acquire(i.md5sum, i.content);
      this.set(uuid, this.rows.get(uuid), { ...row.state, inventory: Object.freeze({ ...i, content }) }, row.version);
    }
  }

  /** The state a command starts from; a stale one only costs a retry (the append checks the version). */
  loaded(uuid: string): Loaded<TemplateState> | undefined {
    const row = this.rows.get(uuid);
    return row && { state: row.state, version: row.version };
  }

  get(uuid: string): TemplateState | undefined {
    return this.rows.get(uuid)?.state;
  }

  get size(): number {
    return this.rows.size;
  }

  /** Distinct contents held (see ContentPool). */
  get distinctContents(): number {
    return this.contents.size;
  }

  /** What queries run against: the inventories themselves (the query engine copies only the fields asked for). */
  readonly source: QuerySource<PreconfigurationTemplateInventory> = {
    all: () => this.inventories(),
    get: (uuid) => this.rows.get(uuid)?.state.inventory,
    lookup: (field, values) => this.indexes.lookup(field, values, (r) => r.state.inventory),
  };

  private *inventories(): Iterable<PreconfigurationTemplateInventory> {
    for (const row of this.rows.values()) yield row.state.inventory;
  }
}
