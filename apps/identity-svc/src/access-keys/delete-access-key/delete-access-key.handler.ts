import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { APIDeleteAccessKeyMsg, apiByName, subjectOf, validatePayload } from '@cp/contracts';
import type { BusMessage, HandlerOutcome } from '@cp/bus';
import { AccountReadModel } from '../../accounts/account.read-model';
import { Authenticator } from '../../sessions/authenticator';
import { decideDeleteAccessKey } from '../access-key.decider';
import { AccessKeyCommands } from '../access-key-commands';
import { AccessKeyReadModel } from '../access-key.read-model';

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
