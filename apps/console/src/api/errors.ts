/** An API's refusal, as both wires carry it: `{error: {code, description, details}}` and the HTTP status. */
export class ApiError extends Error {
  readonly kind = 'api' as const;

  constructor(
    readonly code: string,
    readonly description: string,
    readonly details: string,
    readonly status: number,
  ) {
    super(`${code}: ${description}${details ? ` (${details})` : ''}`);
    this.name = 'ApiError';
  }
}

/**
 * The control plane could not be reached or answered as no API does: a network failure, a proxy's
 * 502/503/504 without an `{error}` body, a reply that is not JSON. Retryable: the UI offers to try again.
 */
export class UnavailableError extends Error {
  readonly kind = 'unavailable' as const;

  constructor(readonly reason: string, readonly status?: number) {
    super(reason);
    this.name = 'UnavailableError';
  }
}

/** The codes that mean the session is gone: wrong or expired session (ID.1001). */
export const SESSION_INVALID_CODES: readonly string[] = ['ID.1001'];

export const isSessionInvalid = (error: unknown): error is ApiError =>
  error instanceof ApiError && SESSION_INVALID_CODES.includes(error.code);

/** The `{error}` of a reply body, or null when the body is no API error. */
export function apiErrorOf(body: unknown, status: number): ApiError | null {
  const error = (body as { error?: unknown } | null)?.error as Record<string, unknown> | undefined;
  if (!error || typeof error !== 'object' || typeof error.code !== 'string') return null;
  const text = (value: unknown) => (typeof value === 'string' ? value : value === undefined || value === null ? '' : JSON.stringify(value));
  return new ApiError(error.code, text(error.description), text(error.details), status);
}
