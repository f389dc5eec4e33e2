import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { APILoginIAM2VirtualIDMsg, IAM2_VIRTUAL_ID_USER_TYPE } from '@cp/contracts';
import type { HandlerOutcome } from '@cp/bus';
import { IAM2VirtualIDReadModel } from '@cp/read-models/identity';
import { PasswordHasher } from '../../passwords/password-hasher';
import { LoginGuard } from '../../sessions/login-guard';

/**
 * A virtual ID logs in through the one login path (lockout, state checks, audit): its session acts
 * within the account that owns it (`accountUuid`), as itself (`userUuid`, `userType: IAM2VirtualID`).
 */
@QueryHandler(APILoginIAM2VirtualIDMsg)
export class LoginIAM2VirtualIDHandler implements IQueryHandler<APILoginIAM2VirtualIDMsg, HandlerOutcome> {
  constructor(
    private readonly virtualIds: IAM2VirtualIDReadModel,
    private readonly hasher: PasswordHasher,
    private readonly guard: LoginGuard,
  ) {}

  async execute(msg: APILoginIAM2VirtualIDMsg): Promise<HandlerOutcome> {
    const inventory = await this.guard.logIn('iam2', msg.name, msg.call.bus, async () => {
      const uuid = this.virtualIds.uuidByName(msg.name);
      const virtualId = uuid ? this.virtualIds.get(uuid) : undefined;
      // An unknown name costs the same slow hash as a wrong password: timing tells nothing.
      const matches = virtualId
        ? await this.hasher.verify(msg.password, virtualId.passwordHash)
        : await this.hasher.verifyAgainstNothing(msg.password);
      if (!virtualId || !matches) return null;
      return {
        accountUuid: virtualId.ownerAccountUuid, userUuid: virtualId.inventory.uuid,
        userType: IAM2_VIRTUAL_ID_USER_TYPE, state: virtualId.inventory.state,
      };
    });
    return { result: { inventory } };
  }
}
