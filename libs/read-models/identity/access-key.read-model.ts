import { Injectable } from '@nestjs/common';
import { ACCESS_KEY_STREAM_CATEGORY, type AccessKeyEvent, type AccessKeyInventory } from '@cp/contracts';
import type { ReadModel, Snapshottable } from '@cp/event-store';
import type { QuerySource } from '@cp/query';
import { evolveAccessKey, isAccount, isAdmin, type AccessKeyRecord, type Caller } from '@cp/domain/identity';
import { AccountReadModel } from './account.read-model';
import { AggregateRows, type AggregateRow } from '../shared/aggregate-rows';

/**
 * Access keys as the log says they are now: the inventories queries return (without secrets), the
 * AccessKeyID index that signed requests are verified against, keys per account for the quota, and
 * the state + version each command starts from.
 *
 * A deleted account's keys go with it (as in ZStack): they count as gone as soon as the account read
 * model has applied the deletion, so they no longer authenticate, count or show, and their
 * AccessKeyIDs are free again. Their own streams are not written to, and this model follows only the
 * `accesskey` streams (following the account streams too would make it read the whole identity log).
 * `get` and `loaded` still give such a key (commands check its account themselves).
 */
@Injectable()
export class AccessKeyReadModel extends AggregateRows<AccessKeyRecord, AccessKeyEvent> implements ReadModel, Snapshottable {
  readonly filter = { categories: [ACCESS_KEY_STREAM_CATEGORY] };

  constructor(private readonly accounts: AccountReadModel) {
    super({
      evolve: evolveAccessKey,
      gone: (s) => s.deleted,
      // By AccessKeyID (signed requests, queries) and by account (quota, an account's own keys, queries).
      indexes: { AccessKeyID: (r) => r.state.inventory.AccessKeyID, accountUuid: (r) => r.state.inventory.accountUuid },
    });
  }

  /** A key counts while its account exists. */
  private live(row: AggregateRow<AccessKeyRecord> | undefined): AccessKeyRecord | undefined {
    return row && this.accounts.get(row.state.inventory.accountUuid) ? row.state : undefined;
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

  /** What a caller may query: the admin sees every key, an account its own keys, anyone else none. */
  visibleTo(caller: Caller): QuerySource<AccessKeyInventory> {
    if (isAdmin(caller)) return this.sourceOf((row) => this.live(row)?.inventory);
    // In the admin's order (the rows' order), restricted to the account's keys.
    const accountUuid = caller.accountUuid;
    const own = isAccount(caller, accountUuid) && this.accounts.get(accountUuid) ? this.indexes.index('accountUuid').ids(accountUuid) : [];
    const list = own.map((uuid) => this.rows.get(uuid)!.state.inventory);
    return { all: () => list, get: (uuid) => list.find((i) => i.uuid === uuid) };
  }
}
