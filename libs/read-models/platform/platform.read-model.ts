import { Injectable } from '@nestjs/common';
import { PLATFORM_STREAM_CATEGORY, type PlatformEvent } from '@cp/contracts';
import { rowsFromJson, rowsToJson, type Loaded, type ReadModel, type Snapshottable, type StoredEvent } from '@cp/event-store';
import { RowIndexes } from '@cp/query';
import { evolve, type PlatformState } from '@cp/domain/platform';

interface Row {
  state: PlatformState;
  version: bigint;
  /** The row's place in `rows` (see RowIndexes). */
  seq: number;
}

/** Platforms as the log says they are now, with the state + version each command starts from. */
@Injectable()
export class PlatformReadModel implements ReadModel, Snapshottable {
  readonly filter = { categories: [PLATFORM_STREAM_CATEGORY] };
  private readonly rows = new Map<string, Row>();
  /** By name: the list filter and the uniqueness check read the platforms so called, not all. */
  private readonly indexes = new RowIndexes<Row>(this.rows, { name: (r) => r.state.name });

  apply(event: StoredEvent): void {
    const uuid = String(event.data.uuid);
    const row = this.rows.get(uuid);
    if (row && event.streamVersion < row.version) return;
    const next = evolve(row?.state ?? null, { type: event.type, data: event.data } as PlatformEvent);
    if (!next) {
      if (row) {
        this.rows.delete(uuid);
        this.indexes.update(uuid, row, undefined);
      }
    } else this.set(uuid, row, next, event.streamVersion);
  }

  private set(uuid: string, before: Row | undefined, state: PlatformState, version: bigint): void {
    const row: Row = { state, version, seq: this.indexes.seqFor(before) };
    this.rows.set(uuid, row);
    this.indexes.update(uuid, before, row);
  }

  snapshot(): unknown {
    return rowsToJson(this.rows);
  }

  restore(snapshot: unknown): void {
    for (const [uuid, row] of rowsFromJson<PlatformState>(snapshot)) this.set(uuid, this.rows.get(uuid), row.state, row.version);
  }

  loaded(uuid: string): Loaded<PlatformState> | undefined {
    const row = this.rows.get(uuid);
    return row && { state: row.state, version: row.version };
  }

  get(uuid: string): PlatformState | undefined {
    return this.rows.get(uuid)?.state;
  }

  all(): PlatformState[] {
    return [...this.rows.values()].map((r) => r.state);
  }

  /** The platforms called `name`, in the order of `all()`. */
  named(name: string): PlatformState[] {
    return this.indexes.index('name').ids(name).map((uuid) => this.rows.get(uuid)!.state);
  }

  /** The platform of `owner` called `name`, if any (names are unique per owner). */
  nameTakenBy = (name: string, owner: string): string | undefined =>
    this.named(name).find((p) => p.ownerAccountUuid === owner)?.uuid;
}
