import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { APICreateIAM2VirtualIDMsg, attributeInfosOf } from '@cp/contracts';
import { UniqueNames, uuidFromCommand, type HandlerOutcome } from '@cp/bus';
import { checkCreateVirtualID, decideVirtualID, type CreateVirtualID } from '@cp/domain/identity';
import { IAM2VirtualIDReadModel } from '@cp/read-models/identity';
import { PasswordHasher } from '../../passwords/password-hasher';
import { IAM2VirtualIDCommands, virtualIdName } from '../virtual-id-commands';

/**
 * Creates a virtual ID owned by the caller's account. `withoutDefaultRole` and `tagUuids` are taken
 * and have nothing to act on yet (no roles, no tags); `projectUuid` and `organizationUuid` name
 * resources that do not exist yet, so they are SYS.1003.
 */
@CommandHandler(APICreateIAM2VirtualIDMsg)
export class CreateIAM2VirtualIDHandler implements ICommandHandler<APICreateIAM2VirtualIDMsg, HandlerOutcome> {
  constructor(
    private readonly commands: IAM2VirtualIDCommands,
    private readonly virtualIds: IAM2VirtualIDReadModel,
    private readonly hasher: PasswordHasher,
    private readonly names: UniqueNames,
  ) {}

  async execute(msg: APICreateIAM2VirtualIDMsg): Promise<HandlerOutcome> {
    const auth = msg.call.auth;
    const commandId = msg.call.bus.commandId;
    const attributes = attributeInfosOf(msg.attributes ?? [], APICreateIAM2VirtualIDMsg.name);
    const cmd: CreateVirtualID = {
      uuid: msg.resourceUuid ?? uuidFromCommand(commandId, 'iam2vid'),
      name: msg.name,
      description: msg.description,
      attributes: attributes.map((a, i) => ({ ...a, uuid: uuidFromCommand(commandId, `iam2vid-attribute:${i}`) })),
      projectUuid: msg.projectUuid,
      organizationUuid: msg.organizationUuid,
    };
    // Refuse before paying for the slow hash (a refused create costs no scrypt); decide checks again
    // against the state it appends to, which may have moved while the hash ran.
    checkCreateVirtualID(cmd, this.virtualIds.get(cmd.uuid) ?? null, auth, this.virtualIds.uuidByName);
    // The name, claimed across replicas: another replica's create of the same name is refused as a duplicate.
    const done = await this.names.holding(virtualIdName(this.virtualIds, cmd.name, cmd.uuid), async (takenBy) => {
      const passwordHash = await this.hasher.hash(msg.password);
      return this.commands.run(msg, cmd.uuid, (state) => decideVirtualID({
        type: 'CreateIAM2VirtualID', data: cmd, auth, now: new Date().toISOString(), passwordHash,
        nameTakenBy: takenBy ?? this.virtualIds.uuidByName(cmd.name),
      }, state));
    });
    return { result: { inventory: done.state?.inventory }, position: done.position };
  }
}
