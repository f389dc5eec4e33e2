import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { APIRenewSessionMsg, notFound, permissionDenied, requireSession } from '@cp/contracts';
import type { HandlerOutcome } from '@cp/bus';
import { isAdmin, isExpired, toSessionInventory as toInventory } from '@cp/domain/identity';
import { IDENTITY_CONFIG, type IdentityConfig } from '../../config';
import { SessionStore } from '../session.store';

/** Sets a session's expiry to now + duration (default: the session timeout). Own sessions only, or the admin. */
@CommandHandler(APIRenewSessionMsg)
export class RenewSessionHandler implements ICommandHandler<APIRenewSessionMsg, HandlerOutcome> {
  constructor(
    private readonly sessions: SessionStore,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
  ) {}

  async execute(msg: APIRenewSessionMsg): Promise<HandlerOutcome> {
    const now = Date.now();
    const target = await this.sessions.get(msg.sessionUuid);
    // An unknown or expired session is refused before an invalid caller (ZStack's order).
    if (!target || isExpired(target, now)) {
      throw notFound(`invalid field[sessionUuid], resource[uuid:${msg.sessionUuid}, type:SessionVO] not found`);
    }
    const caller = requireSession(msg.call.auth);
    if (!isAdmin(caller) && caller.userUuid !== target.userUuid) {
      throw permissionDenied(`user[${caller.userUuid}] cannot renew a session of another user`);
    }
    const duration = msg.duration ?? this.config.sessionTimeoutSec;
    const renewed = { ...target, expiredDate: new Date(now + duration * 1000).toISOString() };
    await this.sessions.put(renewed);
    return { result: { inventory: toInventory(renewed) } };
  }
}
