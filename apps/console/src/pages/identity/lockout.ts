import { ApiError } from '../../api/errors';

/**
 * The login lockout's refusal (docs/limits.md, "Login lockout"): ID.1000 with identity-svc's
 * LOCKED_DETAILS text, `the login is temporarily locked after repeated failures; try again later`.
 * A wrong password is ID.1000 too; the details tell them apart.
 */
export const LOCKOUT_CODE = 'ID.1000';
export const isLockout = (error: unknown): error is ApiError =>
  error instanceof ApiError && error.code === LOCKOUT_CODE && /temporarily locked/i.test(`${error.details} ${error.description}`);
