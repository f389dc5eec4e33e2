import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { APIValidateSessionMsg, apiByName, subjectOf, validatePayload } from '@cp/contracts';
import type { BusMessage, HandlerOutcome } from '@cp/bus';
import { isExpired } from '@cp/domain/identity';
import { SessionStore } from '../session.store';

/** Never an error: `{valid: false}` for an unknown or expired session (an expired one is removed). */
@Controller()
export class ValidateSessionHandler {
  constructor(private readonly sessions: SessionStore) {}

  @MessagePattern(subjectOf(apiByName('ValidateSession')))
  async handle(msg: BusMessage): Promise<HandlerOutcome> {
    const dto = validatePayload(APIValidateSessionMsg, msg.payload);
    const session = await this.sessions.get(dto.sessionUuid);
    if (session && isExpired(session, Date.now())) await this.sessions.delete(session.uuid);
    return { result: { valid: Boolean(session && !isExpired(session, Date.now())) } };
  }
}
