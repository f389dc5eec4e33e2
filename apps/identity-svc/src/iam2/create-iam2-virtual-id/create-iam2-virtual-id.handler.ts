import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { APICreateIAM2VirtualIDMsg, apiByName, attributeInfosOf, subjectOf, validatePayload } from '@cp/contracts';
import { uuidFromCommand, type BusMessage, type HandlerOutcome } from '@cp/bus';
import { PasswordHasher } from '../../passwords/password-hasher';
import { Authenticator } from '../../sessions/authenticator';
import { checkCreateVirtualID, decideCreateVirtualID, type CreateVirtualID } from '@cp/domain/identity';
import { IAM2VirtualIDCommands } from '../virtual-id-commands';
import { IAM2VirtualIDReadModel } from '@cp/read-models/identity';

/**
 * Creates a virtual ID owned by the caller's account. `withoutDefaultRole` and `tagUuids` are taken
 * and have nothing to act on yet (no roles, no tags); `projectUuid` and `organizationUuid` name
 * resources that do not exist yet, so they are SYS.1003.
 */
@Controller()
export class CreateIAM2VirtualIDHandler {
  constructor(
    private readonly commands: IAM2VirtualIDCommands,
    private readonly virtualIds: IAM2VirtualIDReadModel,
    private readonly auth: Authenticator,
    private readonly hasher: PasswordHasher,
  ) {}

  @MessagePattern(subjectOf(apiByName('CreateIAM2VirtualID')))
  async handle(msg: BusMessage): Promise<HandlerOutcome> {
    const dto = validatePayload(APICreateIAM2VirtualIDMsg, msg.payload);
    const attributes = attributeInfosOf(dto.attributes ?? [], APICreateIAM2VirtualIDMsg.name);
    const auth = await this.auth.authenticate(msg.auth);
    const cmd: CreateVirtualID = {
      uuid: dto.resourceUuid ?? uuidFromCommand(msg.commandId, 'iam2vid'),
      name: dto.name,
      description: dto.description,
      attributes: attributes.map((a, i) => ({ ...a, uuid: uuidFromCommand(msg.commandId, `iam2vid-attribute:${i}`) })),
      projectUuid: dto.projectUuid,
      organizationUuid: dto.organizationUuid,
    };
    // Refuse before paying for the slow hash; decide checks again against the state it appends to.
    checkCreateVirtualID(cmd, this.virtualIds.get(cmd.uuid) ?? null, auth, this.virtualIds.uuidByName);
    const passwordHash = await this.hasher.hash(dto.password);
    const done = await this.commands.run(msg, cmd.uuid, auth.ok ? auth.caller.accountUuid : null, (state) =>
      decideCreateVirtualID(cmd, state, auth, { nameTakenBy: this.virtualIds.uuidByName, passwordHash, now: new Date().toISOString() }));
    return { result: { inventory: done.state?.inventory }, position: done.position, sessionUuid: msg.auth.sessionUuid };
  }
}
