import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { APIUpdateIAM2VirtualIDMsg } from '@cp/contracts';
import { UniqueNames, type HandlerOutcome } from '@cp/bus';
import { checkUpdateVirtualID, decideVirtualID, type UpdateVirtualID } from '@cp/domain/identity';
import { IAM2VirtualIDReadModel } from '@cp/read-models/identity';
import { PasswordHasher } from '../../passwords/password-hasher';
import { SessionStore } from '../../sessions/session.store';
import { IAM2VirtualIDCommands, virtualIdName } from '../virtual-id-commands';

@CommandHandler(APIUpdateIAM2VirtualIDMsg)
export class UpdateIAM2VirtualIDHandler implements ICommandHandler<APIUpdateIAM2VirtualIDMsg, HandlerOutcome> {
  constructor(
    private readonly commands: IAM2VirtualIDCommands,
    private readonly virtualIds: IAM2VirtualIDReadModel,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionStore,
    private readonly names: UniqueNames,
  ) {}

  async execute(msg: APIUpdateIAM2VirtualIDMsg): Promise<HandlerOutcome> {
    const auth = msg.call.auth;
    const cmd: UpdateVirtualID = {
      uuid: msg.uuid,
      name: msg.name,
      description: msg.description,
      changesPassword: msg.password !== undefined,
      checksOldPassword: msg.oldPassword !== undefined,
    };
    // Checked twice on purpose, as UpdateAccount: here before paying for a slow hash (a refused update
    // costs no scrypt; the old password is verified against the hash this check found), then in decide
    // against the state it appends to, which may have moved while the hashes ran.
    const current = checkUpdateVirtualID(cmd, this.virtualIds.get(cmd.uuid) ?? null, auth, this.virtualIds.uuidByName);
    const update = async (takenBy: string | undefined) => {
      const newPasswordHash = msg.password !== undefined ? await this.hasher.hash(msg.password) : undefined;
      const oldPasswordMatches = msg.oldPassword !== undefined ? await this.hasher.verify(msg.oldPassword, current.passwordHash) : undefined;
      return this.commands.run(msg, cmd.uuid, (state) => decideVirtualID({
        type: 'UpdateIAM2VirtualID', data: cmd, auth, now: new Date().toISOString(), newPasswordHash, oldPasswordMatches,
        nameTakenBy: cmd.name !== undefined ? takenBy ?? this.virtualIds.uuidByName(cmd.name) : undefined,
      }, state));
    };
    // A new name is claimed across replicas first; the old one is given up once the rename is stored.
    const renamed = cmd.name !== undefined && cmd.name !== current.inventory.name;
    const done = renamed ? await this.names.holding(virtualIdName(this.virtualIds, cmd.name!, cmd.uuid), update) : await update(undefined);
    if (renamed && done.position !== null) await this.names.release(virtualIdName(this.virtualIds, current.inventory.name, cmd.uuid));
    // A changed password ends the virtual ID's sessions.
    if (cmd.changesPassword) await this.sessions.endSessionsOf(cmd.uuid);
    return { result: { inventory: done.state?.inventory }, position: done.position };
  }
}
