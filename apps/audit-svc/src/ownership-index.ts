import type { ReadModel, StoredEvent } from '@cp/event-store';
import { RESOURCE_KINDS } from './resource-kinds';

interface Entry {
  category: string;
  owner: string | null;
}

/**
 * Which account owns each resource in the log, from the event that created it (the audit's only
 * read model: the log itself answers everything else). What a normal account may audit.
 */
export class OwnershipIndex implements ReadModel {
  readonly filter = { categories: RESOURCE_KINDS.map((k) => k.category) };
  private readonly entries = new Map<string, Entry>();

  apply(event: StoredEvent): void {
    const uuid = String(event.data.uuid ?? '');
    if (!uuid || this.entries.has(uuid)) return;
    const category = event.streamId.slice(0, event.streamId.indexOf('-'));
    this.entries.set(uuid, { category, owner: ownerAtCreation(category, uuid, event.data) });
  }

  get(uuid: string): Entry | undefined {
    return this.entries.get(uuid);
  }

  get size(): number {
    return this.entries.size;
  }
}

function ownerAtCreation(category: string, uuid: string, data: Record<string, unknown>): string | null {
  const kind = RESOURCE_KINDS.find((k) => k.category === category);
  if (!kind) return null;
  if (kind.resourceType === 'Account') return uuid;
  const owner = data.ownerAccountUuid ?? data.accountUuid;
  return typeof owner === 'string' ? owner : null;
}
