import { Injectable } from '@nestjs/common';
import { ACCESS_KEY_STREAM_CATEGORY, type AccessKeyEvent, type AccessKeyInventory } from '@cp/contracts';
import { rowsFromJson, rowsToJson, type Loaded, type ReadModel, type Snapshottable, type StoredEvent } from '@cp/event-store';
import type { QuerySource } from '@cp/query';
import { isAccount, isAdmin, type Caller } from '../accounts/account.decider';
import { AccountReadModel } from '../accounts/account.read-model';
import { evolve, type AccessKeyRecord } from './access-key.decider';

interface Row {
  state: AccessKeyRecord;
  version: bigint;
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
  private readonly byAccessKeyId = new Map<string, string>();
  private readonly byAccount = new Map<string, Set<string>>();

  constructor(private readonly accounts: AccountReadModel) {}

  apply(event: StoredEvent): void {
    const uuid = String(event.data.uuid);
    const row = this.rows.get(uuid);
    // A row remembers the version it was built to: a replayed older commit is a no-op.
    if (row && event.streamVersion < row.version) return;
    const next = evolve(row?.state ?? null, { type: event.type, data: event.data } as AccessKeyEvent);
    if (row) this.unindex(uuid, row.state);
    if (!next || next.deleted) {
      this.rows.delete(uuid);
      return;
    }
    this.rows.set(uuid, { state: next, version: event.streamVersion });
    this.byAccessKeyId.set(next.inventory.AccessKeyID, uuid);
    const own = this.byAccount.get(next.inventory.accountUuid) ?? new Set<string>();
    own.add(uuid);
    this.byAccount.set(next.inventory.accountUuid, own);
  }

  snapshot(): unknown {
    return rowsToJson(this.rows);
  }

  restore(snapshot: unknown): void {
    for (const [uuid, row] of rowsFromJson<AccessKeyRecord>(snapshot)) {
      this.rows.set(uuid, row);
      this.byAccessKeyId.set(row.state.inventory.AccessKeyID, uuid);
      const own = this.byAccount.get(row.state.inventory.accountUuid) ?? new Set<string>();
      own.add(uuid);
      this.byAccount.set(row.state.inventory.accountUuid, own);
    }
  }

  private unindex(uuid: string, state: AccessKeyRecord): void {
    const { AccessKeyID, accountUuid } = state.inventory;
    if (this.byAccessKeyId.get(AccessKeyID) === uuid) this.byAccessKeyId.delete(AccessKeyID);
    const own = this.byAccount.get(accountUuid);
    own?.delete(uuid);
    if (own && own.size === 0) this.byAccount.delete(accountUuid);
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
    const uuid = this.byAccessKeyId.get(accessKeyId);
    return uuid === undefined ? undefined : this.live(this.rows.get(uuid));
  }

  accessKeyIdTakenBy = (accessKeyId: string): string | undefined => this.byId(accessKeyId)?.inventory.uuid;

  keyCount = (accountUuid: string): number => this.byAccount.get(accountUuid)?.size ?? 0;

  get size(): number {
    return this.rows.size;
  }

  /** What a caller may query: the admin sees every key, an account its own keys, anyone else none. */
  visibleTo(caller: Caller): QuerySource<AccessKeyInventory> {
    if (isAdmin(caller)) {
      const rows = this.rows;
      const live = (row: Row | undefined) => this.live(row)?.inventory;
      return {
        *all() {
          for (const row of rows.values()) {
            const inventory = live(row);
            if (inventory) yield inventory;
          }
        },
        get: (uuid) => live(rows.get(uuid)),
      };
    }
    const accountUuid = caller.accountUuid;
    const own = isAccount(caller, accountUuid) && this.accounts.get(accountUuid) ? [...(this.byAccount.get(accountUuid) ?? [])] : [];
    const list = own.map((uuid) => this.rows.get(uuid)!.state.inventory);
    return { all: () => list, get: (uuid) => list.find((i) => i.uuid === uuid) };
  }
}
