import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { APILogOutMsg } from '@cp/contracts';
import type { HandlerOutcome } from '@cp/bus';
import { SessionStore } from '../session.store';

/** As ZStack: no credential check, no existence check; an unknown session logs out fine. */
@QueryHandler(APILogOutMsg)
export class LogOutHandler implements IQueryHandler<APILogOutMsg, HandlerOutcome> {
  constructor(private readonly sessions: SessionStore) {}

  async execute(msg: APILogOutMsg): Promise<HandlerOutcome> {
    if (msg.sessionUuid) await this.sessions.delete(msg.sessionUuid);
    return { result: {} };
  }
}
