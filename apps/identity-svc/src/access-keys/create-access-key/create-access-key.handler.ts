import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { ACCESS_KEY_TYPE, APICreateAccessKeyMsg, apiByName, invalidArgument, subjectOf, validatePayload } from '@cp/contracts';
import { uuidFromCommand, type BusMessage, type HandlerOutcome } from '@cp/bus';
import { AccountReadModel, AccessKeyReadModel } from '@cp/read-models/identity';
import { Authenticator } from '../../sessions/authenticator';
import { checkCreateAccessKey, decideCreateAccessKey, toAccessKeyInventory as toInventory, type AccessKeyLookups, type CreateAccessKey } from '@cp/domain/identity';
import { AccessKeyCommands } from '../access-key-commands';
import { AccessKeySecrets } from '../access-key-secrets';

/**
 * CreateAccessKey. The reply is the one place the secret is shown; the event holds it sealed. Creates
 * run one at a time in a replica, each waiting until the read model has its key, so the quota and
 * AccessKeyID uniqueness hold within a replica (across replicas, as for account names, two creates in
 * the same few milliseconds could both pass).
 */
@Controller()
export class CreateAccessKeyHandler {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly commands: AccessKeyCommands,
    private readonly keys: AccessKeyReadModel,
    private readonly accounts: AccountReadModel,
    private readonly auth: Authenticator,
    private readonly secrets: AccessKeySecrets,
  ) {}

  @MessagePattern(subjectOf(apiByName('CreateAccessKey')))
  async handle(msg: BusMessage): Promise<HandlerOutcome> {
    // The generic type check quotes the value it refuses: not for a secret (bus callers send any JSON).
    const given = msg.payload.AccessKeySecret;
    if (given !== undefined && given !== null && typeof given !== 'string') {
      throw invalidArgument('field[AccessKeySecret] of message[APICreateAccessKeyMsg] must be a string');
    }
    const dto = validatePayload(APICreateAccessKeyMsg, msg.payload);
    const auth = await this.auth.authenticate(msg.auth);
    const cmd: CreateAccessKey = {
      uuid: dto.resourceUuid ?? uuidFromCommand(msg.commandId, 'accesskey'),
      accountUuid: dto.accountUuid,
      description: dto.description,
      given: { accessKeyId: dto.AccessKeyID, secret: dto.AccessKeySecret },
      accessKeyId: dto.AccessKeyID ?? this.secrets.generateId(),
    };
    return this.oneAtATime(async () => {
      const lookups = this.lookups();
      checkCreateAccessKey(cmd, this.keys.get(cmd.uuid) ?? null, auth, lookups);
      const secret = dto.AccessKeySecret ?? this.secrets.generateSecret();
      const sealed = this.secrets.seal(cmd.uuid, secret);
      const done = await this.commands.run(msg, cmd.uuid, auth.ok ? auth.caller.accountUuid : null, (state) =>
        decideCreateAccessKey(cmd, state, auth, { ...lookups, secret: sealed, keyType: ACCESS_KEY_TYPE, now: new Date().toISOString() }));
      return { result: { inventory: toInventory(done.state!.inventory, secret) }, position: done.position, sessionUuid: msg.auth.sessionUuid };
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
