import type { ApiName } from '../api/client';

/**
 * The APIs whose handlers refuse anyone but the built-in admin (ID.1002, or ZStack's own code), though
 * the registry declares them `access: 'session'`: ZStack's admin-only APIs are refused by their
 * deciders, in ZStack's order (docs/decisions.md, "One registry, one pipeline"). The console hides
 * them from anyone else. admin-only.unit.spec.ts checks this list against the permission matrix's
 * policy (test/support/permission-matrix.ts), which the permission-matrix e2e suite proves against the server.
 */
export const ADMIN_ONLY_APIS: ReadonlySet<ApiName> = new Set<ApiName>([
  'CreateAccount', 'DeleteAccount',
  'CreateIAM2VirtualID', 'DeleteIAM2VirtualID', 'UpdateIAM2VirtualID', 'ChangeIAM2VirtualIDState', 'ChangeIAM2VirtualIDType',
  'AddAttributesToIAM2VirtualID', 'RemoveAttributesFromIAM2VirtualID', 'UpdateIAM2VirtualIDAttribute',
  'AddPreconfigurationTemplate', 'UpdatePreconfigurationTemplate', 'ChangePreconfigurationTemplateState', 'DeletePreconfigurationTemplate',
  'CreatePlatform', 'ListPlatforms', 'TestConnectionDetailed', 'RotatePlatformKeys', 'GetPlatform', 'UpdatePlatform', 'DeletePlatform',
  'TestPlatformConnection', 'GetPlatformHealthHistory',
]);
