import {
  ACCESS_KEY_STREAM_CATEGORY, ACCOUNT_STREAM_CATEGORY, IAM2_VIRTUAL_ID_STREAM_CATEGORY, PLATFORM_STREAM_CATEGORY,
  PRECONFIGURATION_TEMPLATE_STREAM_CATEGORY, type AuditResourceType, type Context,
} from '@cp/contracts';
import {
  evolveAccessKey, evolveAccount, evolveVirtualID as evolveVirtualId, type AccessKeyRecord, type AccountState, type VirtualIDState,
} from '@cp/domain/identity';
import { evolve as evolveTemplate, type TemplateState } from '@cp/domain/baremetal';
import { evolve as evolvePlatform, toView, type PlatformState } from '@cp/domain/platform';

/**
 * What the audit needs to know of each kind of resource in the log: its name in the Audit API, the
 * context that writes it, and the domain's own pure `evolve` (shared with the service that owns the
 * streams, so an inventory "as of" is exactly what that service would have shown), the inventory
 * of a state, and the account that owns it (what a normal account may audit).
 */
export interface ResourceKind {
  resourceType: AuditResourceType;
  category: string;
  context: Context;
  evolve(state: unknown, event: { type: string; data: Record<string, unknown> }): unknown;
  /** The inventory as the resource's API shows it, or null when the state is gone (deleted). */
  inventoryOf(state: unknown): Record<string, unknown> | null;
  ownerOf(state: unknown, uuid: string): string | null;
}

type Evolve<S> = (state: S | null, event: never) => S | null;

function kind<S>(resourceType: AuditResourceType, category: string, context: Context, evolve: Evolve<S>,
  inventoryOf: (s: S) => object | null, ownerOf: (s: S, uuid: string) => string | null): ResourceKind {
  return {
    resourceType, category, context,
    evolve: (state, event) => evolve(state as S | null, event as never),
    inventoryOf: (state) => (state === null || state === undefined ? null : inventoryOf(state as S) as Record<string, unknown> | null),
    ownerOf: (state, uuid) => (state === null || state === undefined ? null : ownerOf(state as S, uuid)),
  };
}

export const RESOURCE_KINDS: readonly ResourceKind[] = [
  kind<AccountState>('Account', ACCOUNT_STREAM_CATEGORY, 'identity', evolveAccount,
    (s) => (s.deleted ? null : s.inventory), (_s, uuid) => uuid),
  kind<VirtualIDState>('IAM2VirtualID', IAM2_VIRTUAL_ID_STREAM_CATEGORY, 'identity', evolveVirtualId,
    (s) => (s.deleted ? null : s.inventory), (s) => s.ownerAccountUuid),
  kind<AccessKeyRecord>('AccessKey', ACCESS_KEY_STREAM_CATEGORY, 'identity', evolveAccessKey,
    (s) => (s.deleted ? null : s.inventory), (s) => s.inventory.accountUuid),
  kind<TemplateState>('PreconfigurationTemplate', PRECONFIGURATION_TEMPLATE_STREAM_CATEGORY, 'baremetal', evolveTemplate,
    (s) => s.inventory, (s) => s.ownerAccountUuid),
  kind<PlatformState>('Platform', PLATFORM_STREAM_CATEGORY, 'platform', evolvePlatform,
    (s) => toView(s, undefined), (s) => s.ownerAccountUuid),
];

/** Login attempts (`login-<hash>` streams): audit events of no resource, the admin's to read. */
export const LOGIN_CATEGORY = 'login';
const LOGIN_KIND = { resourceType: 'Login' as const, category: LOGIN_CATEGORY, context: 'identity' as Context };

export const kindOfCategory = (category: string): ResourceKind | undefined => RESOURCE_KINDS.find((k) => k.category === category);

/** Every category the audit reads, with its type name and context (resources, then logins): AUDIT_RESOURCE_TYPES, in its order. */
export const AUDITED_CATEGORIES: readonly { resourceType: AuditResourceType; category: string; context: Context }[] = [...RESOURCE_KINDS, LOGIN_KIND];

export const categoryOfType = (resourceType: string) => AUDITED_CATEGORIES.find((k) => k.resourceType === resourceType)?.category;
export const typeOfCategory = (category: string) => AUDITED_CATEGORIES.find((k) => k.category === category)?.resourceType ?? category;
