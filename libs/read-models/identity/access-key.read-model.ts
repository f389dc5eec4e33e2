import { Injectable } from '@nestjs/common';
import { ACCESS_KEY_STREAM_CATEGORY, type AccessKeyEvent, type AccessKeyInventory } from '@cp/contracts';
import { rowsFromJson, rowsToJson, type Loaded, type ReadModel, type Snapshottable, type StoredEvent } from '@cp/event-store';
import { RowIndexes, type QuerySource } from '@cp/query';
import { evolveAccessKey as evolve, isAccount, isAdmin, type AccessKeyRecord, type Caller } from '@cp/domain/identity';
import { AccountReadModel } from './account.read-model';

interface Row {
  state: AccessKeyRecord;
  version: bigint;
  /** The row's place in `rows` (see RowIndexes). */
  seq: number;
}

/**
 * Access keys as the log says they are now: the inventories queries return (without secrets), the
 * AccessKeyID index that signed requests are verified against, keys per account for the quota, and
 * the state + version each command starts from.
 *
 * A deleted account's keys go with it (as in ZStack): they count as gone as soon as the account read
 * model has applied the deletion, so they no longer authenticate, count or show, and their
 * AccessKeyIDs are free again. Their own streams are not written to, and this model follows only the
 * `accesskey` streams (following the account streams too would make it read the whole identity log).
 */
@Injectable()
export class AccessKeyReadModel implements ReadModel, Snapshottable {
  readonly filter = { categories: [ACCESS_KEY_STREAM_CATEGORY] };
  private readonly rows = new Map<string, Row>();
  /** By AccessKeyID (signed requests, queries) and by account (quota, an account's own keys, queries). */
  private readonly indexes = new RowIndexes<Row>(this.rows, {
    AccessKeyID: (r) => r.state.inventory.AccessKeyID,
    accountUuid: (r) => r.state.inventory.accountUuid,
  });

  constructor(private readonly accounts: AccountReadModel) {}

  apply(event: StoredEvent): void {
    const uuid = String(event.data.uuid);
    const row = this.rows.get(uuid);
    // A row remembers the version it was built to: a replayed older commit is a no-op.
    if (row && event.streamVersion < row.version) return;
    const next = evolve(row?.state ?? null, { type: event.type, data: event.data } as AccessKeyEvent);
    if (!next || next.deleted) {
      if (row) {
        this.rows.delete(uuid);
        this.indexes.update(uuid, row, undefined);
      }
      return;
    }
    this.set(uuid, row, next, event.streamVersion);
  }

  private set(uuid: string, before: Row | undefined, state: AccessKeyRecord, version: bigint): void {
    const row: Row = { state, version, seq: this.indexes.seqFor(before) };
    this.rows.set(uuid, row);
    this.indexes.update(uuid, before, row);
  }

  snapshot(): unknown {
    return rowsToJson(this.rows);
  }

  restore(snapshot: unknown): void {
    for (const [uuid, row] of rowsFromJson<AccessKeyRecord>(snapshot)) this.set(uuid, this.rows.get(uuid), row.state, row.version);
  }

  /** A key counts while its account exists. */
  private live(row: Row | undefined): AccessKeyRecord | undefined {
    return row && this.accounts.get(row.state.inventory.accountUuid) ? row.state : undefined;
  }

  /** The state a command starts from; a stale one only costs a retry (the append checks the version). */
  loaded(uuid: string): Loaded<AccessKeyRecord> | undefined {
    const row = this.rows.get(uuid);
    return row && { state: row.state, version: row.version };
  }

  /** The key, whether or not its account still exists (commands check that themselves). */
  get(uuid: string): AccessKeyRecord | undefined {
    return this.rows.get(uuid)?.state;
  }

  /** The live key with this AccessKeyID (what a signed request names). */
  byId(accessKeyId: string): AccessKeyRecord | undefined {
    for (const uuid of this.indexes.index('AccessKeyID').ids(accessKeyId)) {
      const live = this.live(this.rows.get(uuid));
      if (live) return live;
    }
    return undefined;
  }

  accessKeyIdTakenBy = (accessKeyId: string): string | undefined => this.byId(accessKeyId)?.inventory.uuid;

  keyCount = (accountUuid: string): number => this.indexes.index('accountUuid').count(accountUuid);

  get size(): number {
    return this.rows.size;
  }

  /** What a caller may query: the admin sees every key, an account its own keys, anyone else none. */
  visibleTo(caller: Caller): QuerySource<AccessKeyInventory> {
    if (isAdmin(caller)) {
      const rows = this.rows;
      const indexes = this.indexes;
      const live = (row: Row | undefined) => this.live(row)?.inventory;
      return {
        *all() {
          for (const row of rows.values()) {
            const inventory = live(row);
            if (inventory) yield inventory;
          }
        },
        get: (uuid) => live(rows.get(uuid)),
        lookup: (field, values) => indexes.lookup(field, values, live),
      };
    }
    // In the admin's order (the rows' order), restricted to the account's keys.
    const accountUuid = caller.accountUuid;
    const own = isAccount(caller, accountUuid) && this.accounts.get(accountUuid) ? this.indexes.index('accountUuid').ids(accountUuid) : [];
    const list = own.map((uuid) => this.rows.get(uuid)!.state.inventory);
    return { all: () => list, get: (uuid) => list.find((i) => i.uuid === uuid) };
  }
}
