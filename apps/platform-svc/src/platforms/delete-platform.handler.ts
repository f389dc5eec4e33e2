import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { PLATFORM_SUBJECTS } from '@cp/contracts';
import { RemoteAuthenticator, type BusMessage, type HandlerOutcome } from '@cp/bus';
import { CredentialVault } from '../credentials/credential-vault';
import { ProbeStore } from '../health/probe.store';
import { PlatformCommands } from './platform-commands';
import { decideDelete } from '@cp/domain/platform';
import { PlatformReadModel } from '@cp/read-models/platform';
import { asBody } from './platform-input';

/** DELETE: the platform goes, and its data key with it (crypto-shredding); a second delete is 404. */
@Controller()
export class DeletePlatformHandler {
  constructor(
    private readonly commands: PlatformCommands,
    private readonly platforms: PlatformReadModel,
    private readonly auth: RemoteAuthenticator,
    private readonly vault: CredentialVault,
    private readonly probes: ProbeStore,
  ) {}

  @MessagePattern(PLATFORM_SUBJECTS.delete)
  async handle(msg: BusMessage): Promise<HandlerOutcome> {
    const uuid = String(asBody(msg.payload).uuid ?? '');
    const auth = await this.auth.authenticate(msg.auth);
    const done = await this.commands.run(msg, uuid, auth.ok ? auth.caller.accountUuid : null, (state) =>
      decideDelete(uuid, state, auth, new Date().toISOString()));
    await this.vault.destroy(uuid);
    await this.probes.delete(uuid);
    return { result: {}, position: done.position, sessionUuid: msg.auth.sessionUuid };
  }
}
