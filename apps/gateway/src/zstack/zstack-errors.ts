import type { Logger } from '@nestjs/common';
import { RestError, ZStackError, internalError, type ErrorBody } from '@cp/contracts';
import { BusUnanswered } from '@cp/bus';

/** What a ZStack route writes: a JSON body, or a plain-text one (REST-layer errors, as ZStack). */
export interface ApiAnswer {
  status: number;
  json?: unknown;
  text?: string;
}

/** Fastify's own failures before a handler runs (body parsing, size). */
export type FrameworkError = Error & { statusCode?: number; code?: string };

/**
 * The ZStack wire's one error mapping (zstack-wire.md): an API's failure is 503 with `{error}`; a
 * failure of the REST layer itself (a header, the body, the mapping) is its status with a plain-text
 * body; anything unexpected is logged here and answered as SYS.1000, never with its text.
 */
export function zstackFailure(error: unknown, log: Logger): ApiAnswer {
  if (error instanceof RestError) return { status: error.status, text: error.message };
  if (error instanceof ZStackError) return failed(error.toBody());
  if (error instanceof BusUnanswered) return failed(error.toZStackError().toBody());
  const framework = error as FrameworkError;
  const status = framework?.statusCode ?? 500;
  if (status === 413 || framework?.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return { status: 413, text: 'the request body is too large' };
  if (status >= 400 && status < 500) return { status, text: framework.message };
  log.error(`unexpected error: ${framework?.stack ?? String(error)}`);
  return failed(internalError('an internal error happened in the gateway; see its log').toBody());
}

/** An API's failure as ZStack answers it: 503 and the error body (also a job's failed outcome). */
export function failed(error: ErrorBody): ApiAnswer {
  return { status: 503, json: { error } };
}
