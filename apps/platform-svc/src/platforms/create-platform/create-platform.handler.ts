import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CreatePlatformMsg, adminOnly, operationError, requireSession } from '@cp/contracts';
import { UniqueNames, uuidFromCommand, type HandlerOutcome } from '@cp/bus';
import { decide, toView } from '@cp/domain/platform';
import { PlatformReadModel } from '@cp/read-models/platform';
import { PlatformConnector } from '../../connector/platform-connector';
import { ProbeStore } from '../../health/probe.store';
import { PlatformCommands, platformName } from '../platform-commands';
import { createInput } from '../request-input';

/**
 * CreatePlatform: checks the body and the caller, negotiates the control plane's own credential with
 * the remote (before the reply), and records the platform whether or not that worked, so the
 * operator sees why. The name is claimed across replicas (UniqueNames) before anything is negotiated.
 */
@CommandHandler(CreatePlatformMsg)
export class CreatePlatformHandler implements ICommandHandler<CreatePlatformMsg, HandlerOutcome> {
  constructor(
    private readonly commands: PlatformCommands,
    private readonly platforms: PlatformReadModel,
    private readonly connector: PlatformConnector,
    private readonly probes: ProbeStore,
    private readonly names: UniqueNames,
  ) {}

  async execute(msg: CreatePlatformMsg): Promise<HandlerOutcome> {
    const input = createInput(msg.body);
    const auth = msg.call.auth;
    const caller = requireSession(auth);
    adminOnly(caller, 'Platform API');
    const uuid = uuidFromCommand(msg.call.bus.commandId, 'platform');
    const taken = (takenBy: string | undefined) => {
      const holder = takenBy ?? this.platforms.nameTakenBy(input.name, caller.accountUuid);
      return holder !== undefined && holder !== uuid;
    };
    if (taken(undefined)) throw operationError(`a platform called ${input.name} already exists`);
    return this.names.holding(platformName(this.platforms, input.name, caller.accountUuid, uuid), async (takenBy) => {
      if (taken(takenBy)) throw operationError(`a platform called ${input.name} already exists`);
      this.connector.assertAllowed(input.hostIp);
      const negotiated = await this.connector.negotiate(uuid, input, input.username, input.password);
      // The name is asked again as decide runs: it may have been taken while the credential was negotiated.
      const done = await this.commands.run(msg, uuid, (state) => decide({
        type: 'CreatePlatform', data: { uuid, ...input }, auth, now: new Date().toISOString(), negotiated, nameTaken: taken(takenBy),
      }, state));
      const entry = await this.probes.record(uuid, negotiated.probe);
      return { result: toView(done.state!, entry.counters), position: done.position };
    });
  }
}
