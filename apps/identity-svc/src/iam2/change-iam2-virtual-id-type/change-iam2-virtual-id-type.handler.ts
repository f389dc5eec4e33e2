import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { APIChangeIAM2VirtualIDTypeMsg, apiByName, subjectOf, validatePayload } from '@cp/contracts';
import type { BusMessage, HandlerOutcome } from '@cp/bus';
import { Authenticator } from '../../sessions/authenticator';
import { decideChangeVirtualIDType } from '@cp/domain/identity';
import { IAM2VirtualIDCommands } from '../virtual-id-commands';

@Controller()
export class ChangeIAM2VirtualIDTypeHandler {
  constructor(
    private readonly commands: IAM2VirtualIDCommands,
    private readonly auth: Authenticator,
  ) {}

  @MessagePattern(subjectOf(apiByName('ChangeIAM2VirtualIDType')))
  async handle(msg: BusMessage): Promise<HandlerOutcome> {
    const dto = validatePayload(APIChangeIAM2VirtualIDTypeMsg, msg.payload);
    const auth = await this.auth.authenticate(msg.auth);
    const done = await this.commands.run(msg, dto.uuid, auth.ok ? auth.caller.accountUuid : null, (state) =>
      decideChangeVirtualIDType({ uuid: dto.uuid, type: dto.type }, state, auth, new Date().toISOString()));
    return { result: { inventory: done.state?.inventory }, position: done.position, sessionUuid: msg.auth.sessionUuid };
  }
}
