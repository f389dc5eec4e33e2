import { UnavailableError, apiErrorOf } from './errors';

/** One HTTP exchange's outcome: the status, the parsed JSON body (or null) and the headers. */
export interface HttpReply {
  status: number;
  body: unknown;
  headers: Headers;
}

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/**
 * Sends a request and reads its JSON body. A network failure, or a reply whose body is not JSON
 * (a proxy's error page), becomes an UnavailableError; an HTTP error with an `{error}` body is left
 * to the caller (each wire maps it to an ApiError).
 */
export async function exchange(fetchFn: FetchLike, url: string, init: RequestInit): Promise<HttpReply> {
  let response: Response;
  try {
    response = await fetchFn(url, init);
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new UnavailableError(`the control plane cannot be reached (${(error as Error).message})`);
  }
  const text = await response.text().catch(() => '');
  let body: unknown = null;
  if (text !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      if (response.status >= 500 || response.status === 0) {
        throw new UnavailableError(`the control plane answered HTTP ${response.status} without an API reply`, response.status);
      }
      body = { error: { code: `HTTP.${response.status}`, description: response.statusText || 'HTTP error', details: text.slice(0, 300) } };
    }
  }
  return { status: response.status, body, headers: response.headers };
}

/** The ApiError of a failed reply; an error status without an `{error}` body is an UnavailableError when 502/503/504. */
export function failureOf(reply: HttpReply): Error {
  const error = apiErrorOf(reply.body, reply.status);
  if (error) return error;
  if ([502, 503, 504].includes(reply.status)) return new UnavailableError(`the control plane answered HTTP ${reply.status}`, reply.status);
  return apiErrorOf({ error: { code: `HTTP.${reply.status}`, description: 'unexpected reply', details: JSON.stringify(reply.body ?? '') } }, reply.status)!;
}

/** `{name}` path params filled from the payload (URL-encoded); the names used are returned too. */
export function fillPath(template: string, payload: Record<string, unknown>): { path: string; used: string[] } {
  const used: string[] = [];
  const path = template.replace(/\{(\w+)\}/g, (_whole, name: string) => {
    const value = payload[name];
    if (value === undefined || value === null || value === '') throw new Error(`path parameter ${name} is missing`);
    used.push(name);
    return encodeURIComponent(String(value));
  });
  return { path, used };
}

/** The names of a path template's params. */
export const pathParams = (template: string): string[] => [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);

/** 32 lowercase hex characters: ZStack's job ids (X-Job-UUID). */
export function jobId(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
