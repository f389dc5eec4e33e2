import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { AuthenticateMsg } from '@cp/contracts';
import type { HandlerOutcome } from '@cp/bus';
import { Authenticator } from '../authenticator';

/**
 * The other services' session check (AUTHENTICATE_SUBJECT): one Authenticator for the whole control
 * plane, so that sessions, virtual IDs and access key secrets stay inside identity-svc. Registered
 * `access: 'none'`: it resolves the credential it is asked about itself (the request's own `auth`),
 * and the Authenticator notes the caller beside it, as for every request.
 */
@QueryHandler(AuthenticateMsg)
export class AuthenticateHandler implements IQueryHandler<AuthenticateMsg, HandlerOutcome> {
  constructor(private readonly auth: Authenticator) {}

  async execute(msg: AuthenticateMsg): Promise<HandlerOutcome> {
    const auth = await this.auth.authenticate(msg.call.bus.auth);
    if (!auth.ok) throw auth.error;
    return { result: { caller: auth.caller } };
  }
}
