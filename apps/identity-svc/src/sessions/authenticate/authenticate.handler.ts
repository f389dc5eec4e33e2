import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { AUTHENTICATE_SUBJECT } from '@cp/contracts';
import type { BusMessage, HandlerOutcome } from '@cp/bus';
import { Authenticator } from '../authenticator';

/**
 * The other services' session check (AUTHENTICATE_SUBJECT): one Authenticator for the whole control
 * plane, so that sessions, virtual IDs and access key secrets stay inside identity-svc.
 */
@Controller()
export class AuthenticateHandler {
  constructor(private readonly auth: Authenticator) {}

  @MessagePattern(AUTHENTICATE_SUBJECT)
  async handle(msg: BusMessage): Promise<HandlerOutcome> {
    const auth = await this.auth.authenticate(msg.auth);
    if (!auth.ok) throw auth.error;
    return { result: { caller: auth.caller } };
  }
}
