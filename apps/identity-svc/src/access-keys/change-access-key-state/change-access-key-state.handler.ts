import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { APIChangeAccessKeyStateMsg, apiByName, subjectOf, validatePayload } from '@cp/contracts';
import type { BusMessage, HandlerOutcome } from '@cp/bus';
import { AccountReadModel, AccessKeyReadModel } from '@cp/read-models/identity';
import { Authenticator } from '../../sessions/authenticator';
import { decideChangeAccessKeyState, toAccessKeyInventory as toInventory, type ChangeAccessKeyState } from '@cp/domain/identity';
import { AccessKeyCommands } from '../access-key-commands';

/** enable / disable: a disabled key's signed requests are refused (ID.1001) until it is enabled again. */
@Controller()
export class ChangeAccessKeyStateHandler {
  constructor(
    private readonly commands: AccessKeyCommands,
    private readonly keys: AccessKeyReadModel,
    private readonly accounts: AccountReadModel,
    private readonly auth: Authenticator,
  ) {}

  @MessagePattern(subjectOf(apiByName('ChangeAccessKeyState')))
  async handle(msg: BusMessage): Promise<HandlerOutcome> {
    const dto = validatePayload(APIChangeAccessKeyStateMsg, msg.payload);
    const cmd: ChangeAccessKeyState = { uuid: dto.uuid, stateEvent: dto.stateEvent as ChangeAccessKeyState['stateEvent'] };
    const auth = await this.auth.authenticate(msg.auth);
    const done = await this.commands.run(msg, cmd.uuid, auth.ok ? auth.caller.accountUuid : null, (state) =>
      decideChangeAccessKeyState(cmd, state, auth, {
        accountExists: (uuid) => this.accounts.get(uuid) !== undefined,
        keyCount: this.keys.keyCount,
        accessKeyIdTakenBy: this.keys.accessKeyIdTakenBy,
        now: new Date().toISOString(),
      }));
    return { result: { inventory: toInventory(done.state!.inventory) }, position: done.position, sessionUuid: msg.auth.sessionUuid };
  }
}
