import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { APILoginIAM2VirtualIDMsg, IAM2_VIRTUAL_ID_USER_TYPE, apiByName, subjectOf, validatePayload } from '@cp/contracts';
import type { BusMessage, HandlerOutcome } from '@cp/bus';
import { PasswordHasher } from '../../passwords/password-hasher';
import { LoginGuard } from '../../sessions/login-guard';
import { IAM2VirtualIDReadModel } from '@cp/read-models/identity';

/**
 * A virtual ID logs in through the one login path (lockout, state checks, audit): its session acts
 * within the account that owns it (`accountUuid`), as itself (`userUuid`, `userType: IAM2VirtualID`).
 */
@Controller()
export class LoginIAM2VirtualIDHandler {
  constructor(
    private readonly virtualIds: IAM2VirtualIDReadModel,
    private readonly hasher: PasswordHasher,
    private readonly guard: LoginGuard,
  ) {}

  @MessagePattern(subjectOf(apiByName('LoginIAM2VirtualID')))
  async handle(msg: BusMessage): Promise<HandlerOutcome> {
    const dto = validatePayload(APILoginIAM2VirtualIDMsg, msg.payload);
    const inventory = await this.guard.logIn('iam2', dto.name, msg, async () => {
      const uuid = this.virtualIds.uuidByName(dto.name);
      const virtualId = uuid ? this.virtualIds.get(uuid) : undefined;
      // An unknown name costs the same slow hash as a wrong password: timing tells nothing.
      const matches = virtualId
        ? await this.hasher.verify(dto.password, virtualId.passwordHash)
        : await this.hasher.verifyAgainstNothing(dto.password);
      if (!virtualId || !matches) return null;
      return {
        accountUuid: virtualId.ownerAccountUuid, userUuid: virtualId.inventory.uuid,
        userType: IAM2_VIRTUAL_ID_USER_TYPE, state: virtualId.inventory.state,
      };
    });
    return { result: { inventory } };
  }
}
