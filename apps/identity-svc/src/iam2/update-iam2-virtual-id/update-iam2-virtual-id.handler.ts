import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { APIUpdateIAM2VirtualIDMsg, apiByName, subjectOf, validatePayload } from '@cp/contracts';
import type { BusMessage, HandlerOutcome } from '@cp/bus';
import { PasswordHasher } from '../../passwords/password-hasher';
import { Authenticator } from '../../sessions/authenticator';
import { SessionStore } from '../../sessions/session.store';
import { checkUpdateVirtualID, decideUpdateVirtualID, type UpdateVirtualID } from '@cp/domain/identity';
import { IAM2VirtualIDCommands } from '../virtual-id-commands';
import { IAM2VirtualIDReadModel } from '@cp/read-models/identity';

@Controller()
export class UpdateIAM2VirtualIDHandler {
  constructor(
    private readonly commands: IAM2VirtualIDCommands,
    private readonly virtualIds: IAM2VirtualIDReadModel,
    private readonly auth: Authenticator,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionStore,
  ) {}

  @MessagePattern(subjectOf(apiByName('UpdateIAM2VirtualID')))
  async handle(msg: BusMessage): Promise<HandlerOutcome> {
    const dto = validatePayload(APIUpdateIAM2VirtualIDMsg, msg.payload);
    const cmd: UpdateVirtualID = {
      uuid: dto.uuid,
      name: dto.name,
      description: dto.description,
      changesPassword: dto.password !== undefined,
      checksOldPassword: dto.oldPassword !== undefined,
    };
    const auth = await this.auth.authenticate(msg.auth);
    // Refuse before paying for a slow hash; decide checks again against the state it appends to.
    const current = checkUpdateVirtualID(cmd, this.virtualIds.get(cmd.uuid) ?? null, auth, this.virtualIds.uuidByName);
    const newPasswordHash = dto.password !== undefined ? await this.hasher.hash(dto.password) : undefined;
    const oldPasswordMatches = dto.oldPassword !== undefined ? await this.hasher.verify(dto.oldPassword, current.passwordHash) : undefined;
    const done = await this.commands.run(msg, cmd.uuid, auth.ok ? auth.caller.accountUuid : null, (state) =>
      decideUpdateVirtualID(cmd, state, auth, {
        nameTakenBy: this.virtualIds.uuidByName, now: new Date().toISOString(), newPasswordHash, oldPasswordMatches,
      }));
    // A changed password ends the virtual ID's sessions.
    if (cmd.changesPassword) await this.sessions.endSessionsOf(cmd.uuid);
    return { result: { inventory: done.state?.inventory }, position: done.position, sessionUuid: msg.auth.sessionUuid };
  }
}
