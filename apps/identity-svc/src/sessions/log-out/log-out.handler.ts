import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { APILogOutMsg, apiByName, subjectOf, validatePayload } from '@cp/contracts';
import type { BusMessage, HandlerOutcome } from '@cp/bus';
import { SessionStore } from '../session.store';

/** As ZStack: no credential check, no existence check; an unknown session logs out fine. */
@Controller()
export class LogOutHandler {
  constructor(private readonly sessions: SessionStore) {}

  @MessagePattern(subjectOf(apiByName('LogOut')))
  async handle(msg: BusMessage): Promise<HandlerOutcome> {
    const dto = validatePayload(APILogOutMsg, msg.payload);
    if (dto.sessionUuid) await this.sessions.delete(dto.sessionUuid);
    return { result: {} };
  }
}
