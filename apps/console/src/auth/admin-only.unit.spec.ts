import { HTTP_APIS, expectedOutcome } from '../../../../test/support/permission-matrix';
import { ADMIN_ONLY_APIS } from './admin-only';

/**
 * The console's list of admin-only APIs is the permission matrix's: an API is admin-only when a
 * normal account is refused it even on a resource of its own.
 */
describe("the console's admin-only APIs", () => {
  it('are exactly those the permission matrix refuses to an account on its own resource', () => {
    const account = { accountUuid: 'a'.repeat(32), userUuid: 'a'.repeat(32) };
    const own = { owner: account.userUuid, uuid: 'b'.repeat(32) };
    const refused = HTTP_APIS
      .filter((api) => api.access !== 'none')
      .filter((api) => expectedOutcome(api, 'other', account, own as never).outcome === 'refused')
      .map((api) => api.name)
      .sort();
    expect([...ADMIN_ONLY_APIS].sort()).toEqual(refused);
  });
});
