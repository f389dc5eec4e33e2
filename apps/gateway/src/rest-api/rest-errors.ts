import type { Logger } from '@nestjs/common';
import { ZStackError, httpStatusOf, internalError, invalidArgument } from '@cp/contracts';
import { BusUnanswered } from '@cp/bus';

export interface RestAnswer {
  status: number;
  json: unknown;
}

/**
 * The `/api/v1` wire's one error mapping (control-plane-api.md, "Errors"): the HTTP status of the
 * error code (libs/contracts ERROR_CODES) with `{error: {code, description, details}}`; Fastify's
 * own failures (JSON syntax, body size) as SYS.1007 with their status; anything unexpected is
 * logged here and answered as SYS.1000, never with its text.
 */
export function restFailure(error: unknown, log: Logger, status?: number): RestAnswer {
  if (error instanceof ZStackError) return answer(error, status);
  if (error instanceof BusUnanswered) return answer(error.toZStackError(), status);
  const framework = error as Error & { statusCode?: number; code?: string };
  const code = framework?.statusCode ?? 500;
  if (code === 413 || framework?.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return answer(invalidArgument('the request body is too large'), 413);
  if (code >= 400 && code < 500) return answer(invalidArgument(framework.message), code);
  log.error(`unexpected error: ${framework?.stack ?? String(error)}`);
  return answer(internalError('an internal error happened in the gateway; see its log'), 500);
}

function answer(error: ZStackError, status = httpStatusOf(error.code)): RestAnswer {
  return { status, json: { error: error.toBody() } };
}
