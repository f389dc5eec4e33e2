import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ACCESS_KEY_TYPE, APICreateAccessKeyMsg } from '@cp/contracts';
import { uuidFromCommand, type HandlerOutcome } from '@cp/bus';
import { checkCreateAccessKey, decideAccessKey, toAccessKeyInventory as toInventory, type AccessKeyLookups, type CreateAccessKey } from '@cp/domain/identity';
import { AccountReadModel, AccessKeyReadModel } from '@cp/read-models/identity';
import { AccessKeyCommands } from '../access-key-commands';
import { AccessKeySecrets } from '../access-key-secrets';

/**
 * CreateAccessKey. The reply is the one place the secret is shown; the event holds it sealed. Creates
 * run one at a time in a replica, each waiting until the read model has its key, so the quota and
 * AccessKeyID uniqueness hold within a replica (across replicas, as for account names, two creates in
 * the same few milliseconds could both pass).
 */
@CommandHandler(APICreateAccessKeyMsg)
export class CreateAccessKeyHandler implements ICommandHandler<APICreateAccessKeyMsg, HandlerOutcome> {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly commands: AccessKeyCommands,
    private readonly keys: AccessKeyReadModel,
    private readonly accounts: AccountReadModel,
    private readonly secrets: AccessKeySecrets,
  ) {}

  async execute(msg: APICreateAccessKeyMsg): Promise<HandlerOutcome> {
    const auth = msg.call.auth;
    const cmd: CreateAccessKey = {
      uuid: msg.resourceUuid ?? uuidFromCommand(msg.call.bus.commandId, 'accesskey'),
      accountUuid: msg.accountUuid,
      description: msg.description,
      given: { accessKeyId: msg.AccessKeyID, secret: msg.AccessKeySecret },
      accessKeyId: msg.AccessKeyID ?? this.secrets.generateId(),
    };
    return this.oneAtATime(async () => {
      const lookups = this.lookups();
      checkCreateAccessKey(cmd, this.keys.get(cmd.uuid) ?? null, auth, lookups);
      const secret = msg.AccessKeySecret ?? this.secrets.generateSecret();
      const sealed = this.secrets.seal(cmd.uuid, secret);
      // The read models are asked again as decide runs (they may have moved while the secret was sealed).
      const done = await this.commands.run(msg, cmd.uuid, (state) => decideAccessKey({
        type: 'CreateAccessKey', data: cmd, auth, now: new Date().toISOString(), secret: sealed, keyType: ACCESS_KEY_TYPE,
        accountExists: lookups.accountExists(cmd.accountUuid), keyCount: lookups.keyCount(cmd.accountUuid),
        accessKeyIdTakenBy: lookups.accessKeyIdTakenBy(cmd.accessKeyId),
      }, state));
      return { result: { inventory: toInventory(done.state!.inventory, secret) }, position: done.position };
    });
  }

  private lookups(): AccessKeyLookups {
    return {
      accountExists: (uuid) => this.accounts.get(uuid) !== undefined,
      keyCount: this.keys.keyCount,
      accessKeyIdTakenBy: this.keys.accessKeyIdTakenBy,
    };
  }

  private oneAtATime<T>(run: () => Promise<T>): Promise<T> {
    const next = this.tail.then(run);
    this.tail = next.catch(() => undefined);
    return next;
  }
}
