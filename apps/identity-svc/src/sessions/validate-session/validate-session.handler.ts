import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { APIValidateSessionMsg } from '@cp/contracts';
import type { HandlerOutcome } from '@cp/bus';
import { isExpired } from '@cp/domain/identity';
import { SessionStore } from '../session.store';

/** Never an error: `{valid: false}` for an unknown or expired session (an expired one is removed). */
@QueryHandler(APIValidateSessionMsg)
export class ValidateSessionHandler implements IQueryHandler<APIValidateSessionMsg, HandlerOutcome> {
  constructor(private readonly sessions: SessionStore) {}

  async execute(msg: APIValidateSessionMsg): Promise<HandlerOutcome> {
    const session = await this.sessions.get(msg.sessionUuid);
    if (session && isExpired(session, Date.now())) await this.sessions.delete(session.uuid);
    return { result: { valid: Boolean(session && !isExpired(session, Date.now())) } };
  }
}
