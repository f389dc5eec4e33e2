import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { RotatePlatformKeysMsg, adminOnly, invalidArgument, requireSession, type ApiMessage } from '@cp/contracts';
import type { HandlerOutcome } from '@cp/bus';
import { readKeyFile } from '@cp/crypto';
import { decide } from '@cp/domain/platform';
import { PlatformReadModel } from '@cp/read-models/platform';
import { PLATFORM_CONFIG, type PlatformConfig } from '../../config';
import { CredentialVault } from '../../credentials/credential-vault';
import { PlatformCommands } from '../platform-commands';

/**
 * RotatePlatformKeys (`npm run rotate-key` sends it once the key file has a new active key): reads
 * the key file again, then re-encrypts every stored credential under a fresh data key wrapped by the
 * new active master key, one PlatformCredentialRotated event each, while the service keeps serving.
 * The old data keys are dropped once their event is in the log. Idempotent: a platform already
 * wrapped only by the active key is skipped.
 */
@CommandHandler(RotatePlatformKeysMsg)
export class RotatePlatformKeysHandler implements ICommandHandler<RotatePlatformKeysMsg, HandlerOutcome> {
  private readonly log = new Logger('RotateKeys');

  constructor(
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    private readonly vault: CredentialVault,
    private readonly platforms: PlatformReadModel,
    private readonly commands: PlatformCommands,
  ) {}

  async execute(msg: RotatePlatformKeysMsg): Promise<HandlerOutcome> {
    const caller = requireSession(msg.call.auth);
    adminOnly(caller, 'Platform API');
    if (!this.config.keysFile) throw invalidArgument('key rotation needs ENCRYPTION_KEYS_FILE (ENCRYPTION_KEY holds a single key)');
    const ring = readKeyFile(this.config.keysFile);
    this.vault.useRing(ring);
    let rotated = 0;
    let position: bigint | null = null;
    for (const platform of this.platforms.all()) {
      if (!platform.credential) continue;
      const wrappers = await this.vault.wrappingKeyIds(platform.uuid);
      if (wrappers.length > 0 && wrappers.every((id) => id === ring.activeKeyId)) continue;
      const clear = await this.vault.open(platform.uuid, platform.credential);
      const credential = await this.vault.seal(platform.uuid, clear);
      // One commit per platform: the request's command id with the platform's, so a retry finds each step done.
      const bus = msg.call.bus;
      const step: ApiMessage = { call: { bus: { ...bus, commandId: `${bus.commandId.slice(0, 24)}${platform.uuid.slice(0, 8)}` }, auth: msg.call.auth } };
      const done = await this.commands.run(step, platform.uuid, (state) =>
        decide({ type: 'RotatePlatformKeys', data: { uuid: platform.uuid, credential }, now: new Date().toISOString() }, state));
      await this.vault.retire(platform.uuid, credential.passwordEnc.keyId);
      position = done.position ?? position;
      rotated++;
    }
    this.log.log(`re-encrypted the credentials of ${rotated} platforms under master key ${ring.activeKeyId}`);
    return { result: { rotated, activeKeyId: ring.activeKeyId }, position };
  }
}
