/**
 * The identity context's domain, pure (no Nest, NATS or event store): the account, IAM2 virtual ID
 * and access key aggregates (evolve + `decide(command, state)` over each one's command union),
 * signed-request verification, and the session and login-lockout rules. Three aggregates live here,
 * so the names they share (`evolve`, `decide`, the access key's and the session's `toInventory`) are
 * exported under the aggregate's name. The per-command functions are not exported: every caller
 * builds the command and calls its aggregate's `decide`; the `check*` functions are, for handlers that
 * refuse before paying for a slow hash (or sealing a secret) and let `decide` check again.
 */
export {
  adminOnly, isAdmin, requireSession, type Auth, type Caller,
  accountDecider, decide as decideAccount, type AccountCommand,
  isAccount, evolve as evolveAccount, checkCreateAccount, checkUpdateAccount,
  type AccountState, type NameLookup, type CreateAccount, type UpdateAccount,
} from './account.decider';
export {
  virtualIDDecider, decide as decideVirtualID, type VirtualIDCommand,
  evolve as evolveVirtualID, attributeNotFound, attributeOf, checkCreateVirtualID, checkUpdateVirtualID,
  type VirtualIDState, type CreateVirtualID, type UpdateVirtualID,
} from './virtual-id.decider';
export {
  accessKeyDecider, decide as decideAccessKey, type AccessKeyCommand,
  evolve as evolveAccessKey, toInventory as toAccessKeyInventory, NO_PERMISSION, mayManage, checkCreateAccessKey,
  type AccessKeyRecord, type AccessKeyLookups, type CreateAccessKey, type ChangeAccessKeyState,
} from './access-key.decider';
export * from './signed-request';
export { isExpired, newSession, slide, toInventory as toSessionInventory, type SessionRecord } from './session.rules';
export * from './login-lockout.rules';
