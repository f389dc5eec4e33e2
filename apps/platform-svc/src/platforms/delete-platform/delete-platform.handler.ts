import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DeletePlatformMsg } from '@cp/contracts';
import { UniqueNames, type HandlerOutcome } from '@cp/bus';
import { decide } from '@cp/domain/platform';
import { CredentialVault } from '../../credentials/credential-vault';
import { ProbeStore } from '../../health/probe.store';
import { PlatformReadModel } from '@cp/read-models/platform';
import { PlatformCommands, platformName } from '../platform-commands';

/** DELETE: the platform goes, and its data key with it (crypto-shredding); a second delete is 404. */
@CommandHandler(DeletePlatformMsg)
export class DeletePlatformHandler implements ICommandHandler<DeletePlatformMsg, HandlerOutcome> {
  constructor(
    private readonly commands: PlatformCommands,
    private readonly vault: CredentialVault,
    private readonly probes: ProbeStore,
    private readonly platforms: PlatformReadModel,
    private readonly names: UniqueNames,
  ) {}

  async execute(msg: DeletePlatformMsg): Promise<HandlerOutcome> {
    const uuid = msg.uuid;
    const before = this.platforms.get(uuid);
    const done = await this.commands.run(msg, uuid, (state) =>
      decide({ type: 'DeletePlatform', data: { uuid }, auth: msg.call.auth, now: new Date().toISOString() }, state));
    await this.vault.destroy(uuid);
    await this.probes.delete(uuid);
    // Its name is free again, on every replica.
    if (before && done.position !== null) await this.names.release(platformName(this.platforms, before.name, before.ownerAccountUuid, uuid));
    return { result: {}, position: done.position };
  }
}
