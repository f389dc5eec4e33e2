import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { UpdatePlatformMsg, invalidArgument } from '@cp/contracts';
import { UniqueNames, type HandlerOutcome } from '@cp/bus';
import { checkUpdate, decide, toView, type Negotiated } from '@cp/domain/platform';
import { PlatformReadModel } from '@cp/read-models/platform';
import { PlatformConnector } from '../../connector/platform-connector';
import { ProbeStore } from '../../health/probe.store';
import { PlatformCommands, platformName } from '../platform-commands';
import { updateInput } from '../request-input';

/** PATCH: changes fields; a new `username` + `password` negotiates again (a new credential, through events). */
@CommandHandler(UpdatePlatformMsg)
export class UpdatePlatformHandler implements ICommandHandler<UpdatePlatformMsg, HandlerOutcome> {
  constructor(
    private readonly commands: PlatformCommands,
    private readonly platforms: PlatformReadModel,
    private readonly connector: PlatformConnector,
    private readonly probes: ProbeStore,
    private readonly names: UniqueNames,
  ) {}

  async execute(msg: UpdatePlatformMsg): Promise<HandlerOutcome> {
    const uuid = msg.uuid;
    const auth = msg.call.auth;
    const current = this.platforms.get(uuid) ?? null;
    const input = updateInput(msg.body, current ?? { scope: 'global', regionUuid: '' });
    const state = checkUpdate(uuid, current, auth, input, this.platforms.nameTakenBy);
    if (Object.keys(input).length === 0) throw invalidArgument('the body changes nothing: give at least one field');
    const target = { ...state, ...input };
    const update = async (takenBy: string | undefined) => {
      let negotiated: Negotiated | undefined;
      if (input.credentials || input.hostIp !== undefined) this.connector.assertAllowed(target.hostIp);
      if (input.credentials) negotiated = await this.connector.negotiate(uuid, target, input.credentials.username, input.credentials.password);
      // The name is asked again as decide runs, for the owner of the state it decides on.
      const done = await this.commands.run(msg, uuid, (s) => decide({
        type: 'UpdatePlatform', data: { uuid, ...input }, auth, now: new Date().toISOString(), negotiated,
        nameTakenBy: input.name !== undefined && s ? takenBy ?? this.platforms.nameTakenBy(input.name, s.ownerAccountUuid) : undefined,
      }, s));
      return { done, negotiated };
    };
    // A new name is claimed across replicas first; the old one is given up once the rename is stored.
    const renamed = input.name !== undefined && input.name !== state.name;
    const { done, negotiated } = renamed
      ? await this.names.holding(platformName(this.platforms, input.name!, state.ownerAccountUuid, uuid), update)
      : await update(undefined);
    if (renamed && done.position !== null) await this.names.release(platformName(this.platforms, state.name, state.ownerAccountUuid, uuid));
    const entry = negotiated ? await this.probes.record(uuid, negotiated.probe) : this.probes.get(uuid);
    return { result: toView(done.state!, entry?.counters), position: done.position };
  }
}
