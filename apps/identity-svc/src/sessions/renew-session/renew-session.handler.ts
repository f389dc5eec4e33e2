import { Controller, Inject } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { APIRenewSessionMsg, apiByName, notFound, permissionDenied, subjectOf, validatePayload } from '@cp/contracts';
import type { BusMessage, HandlerOutcome } from '@cp/bus';
import { isAdmin, isExpired, toSessionInventory as toInventory } from '@cp/domain/identity';
import { IDENTITY_CONFIG, type IdentityConfig } from '../../config';
import { Authenticator } from '../authenticator';
import { SessionStore } from '../session.store';

/** Sets a session's expiry to now + duration (default: the session timeout). Own sessions only, or the admin. */
@Controller()
export class RenewSessionHandler {
  constructor(
    private readonly sessions: SessionStore,
    private readonly auth: Authenticator,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
  ) {}

  @MessagePattern(subjectOf(apiByName('RenewSession')))
  async handle(msg: BusMessage): Promise<HandlerOutcome> {
    const dto = validatePayload(APIRenewSessionMsg, msg.payload);
    const now = Date.now();
    const target = await this.sessions.get(dto.sessionUuid);
    if (!target || isExpired(target, now)) {
      throw notFound(`invalid field[sessionUuid], resource[uuid:${dto.sessionUuid}, type:SessionVO] not found`);
    }
    const auth = await this.auth.authenticate(msg.auth, now);
    if (!auth.ok) throw auth.error;
    if (!isAdmin(auth.caller) && auth.caller.userUuid !== target.userUuid) {
      throw permissionDenied(`user[${auth.caller.userUuid}] cannot renew a session of another user`);
    }
    const duration = dto.duration ?? this.config.sessionTimeoutSec;
    const renewed = { ...target, expiredDate: new Date(now + duration * 1000).toISOString() };
    await this.sessions.put(renewed);
    return { result: { inventory: toInventory(renewed) } };
  }
}
