import { Injectable } from '@nestjs/common';
import { PLATFORM_STREAM_CATEGORY, type PlatformEvent } from '@cp/contracts';
import { rowsFromJson, rowsToJson, type Loaded, type ReadModel, type Snapshottable, type StoredEvent } from '@cp/event-store';
import { evolve, type PlatformState } from './platform.decider';

interface Row {
  state: PlatformState;
  version: bigint;
}

/** Platforms as the log says they are now, with the state + version each command starts from. */
@Injectable()
export class PlatformReadModel implements ReadModel, Snapshottable {
  readonly filter = { categories: [PLATFORM_STREAM_CATEGORY] };
  private readonly rows = new Map<string, Row>();

  apply(event: StoredEvent): void {
    const uuid = String(event.data.uuid);
    const row = this.rows.get(uuid);
    if (row && event.streamVersion < row.version) return;
    const next = evolve(row?.state ?? null, { type: event.type, data: event.data } as PlatformEvent);
    if (!next) this.rows.delete(uuid);
    else this.rows.set(uuid, { state: next, version: event.streamVersion });
  }

  snapshot(): unknown {
    return rowsToJson(this.rows);
  }

  restore(snapshot: unknown): void {
    for (const [uuid, row] of rowsFromJson<PlatformState>(snapshot)) this.rows.set(uuid, row);
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

  /** The platform of `owner` called `name`, if any (names are unique per owner). */
  nameTakenBy = (name: string, owner: string): string | undefined =>
    this.all().find((p) => p.name === name && p.ownerAccountUuid === owner)?.uuid;
}
