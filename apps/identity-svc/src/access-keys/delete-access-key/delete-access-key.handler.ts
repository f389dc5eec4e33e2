import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { APIDeleteAccessKeyMsg, apiByName, subjectOf, validatePayload } from '@cp/contracts';
import type { BusMessage, HandlerOutcome } from '@cp/bus';
import { AccountReadModel, AccessKeyReadModel } from '@cp/read-models/identity';
import { Authenticator } from '../../sessions/authenticator';
import { decideDeleteAccessKey } from '@cp/domain/identity';
import { AccessKeyCommands } from '../access-key-commands';

@Controller()
export class DeleteAccessKeyHandler {
  constructor(
    private readonly commands: AccessKeyCommands,
    private readonly keys: AccessKeyReadModel,
    private readonly accounts: AccountReadModel,
    private readonly auth: Authenticator,
  ) {}

  @MessagePattern(subjectOf(apiByName('DeleteAccessKey')))
  async handle(msg: BusMessage): Promise<HandlerOutcome> {
    const dto = validatePayload(APIDeleteAccessKeyMsg, msg.payload);
    const auth = await this.auth.authenticate(msg.auth);
    const done = await this.commands.run(msg, dto.uuid, auth.ok ? auth.caller.accountUuid : null, (state) =>
      decideDeleteAccessKey(dto.uuid, state, auth, {
        accountExists: (uuid) => this.accounts.get(uuid) !== undefined,
        keyCount: this.keys.keyCount,
        accessKeyIdTakenBy: this.keys.accessKeyIdTakenBy,
        now: new Date().toISOString(),
      }));
    return { result: {}, position: done.position, sessionUuid: msg.auth.sessionUuid };
  }
}
