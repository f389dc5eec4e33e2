import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { PLATFORM_SUBJECTS, invalidArgument } from '@cp/contracts';
import { RemoteAuthenticator, type BusMessage, type HandlerOutcome } from '@cp/bus';
import { PlatformConnector } from '../connector/platform-connector';
import { ProbeStore } from '../health/probe.store';
import { PlatformCommands } from './platform-commands';
import { checkUpdate, decideUpdate, toView, type Negotiated } from '@cp/domain/platform';
import { PlatformReadModel } from '@cp/read-models/platform';
import { asBody, parseUpdatePlatform } from './platform-input';

/** PATCH: changes fields; a new `username` + `password` negotiates again (a new credential, through events). */
@Controller()
export class UpdatePlatformHandler {
  constructor(
    private readonly commands: PlatformCommands,
    private readonly platforms: PlatformReadModel,
    private readonly auth: RemoteAuthenticator,
    private readonly connector: PlatformConnector,
    private readonly probes: ProbeStore,
  ) {}

  @MessagePattern(PLATFORM_SUBJECTS.update)
  async handle(msg: BusMessage): Promise<HandlerOutcome> {
    const payload = asBody(msg.payload);
    const uuid = String(payload.uuid ?? '');
    const auth = await this.auth.authenticate(msg.auth);
    const current = this.platforms.get(uuid) ?? null;
    const input = parseUpdatePlatform(payload.body, current ?? { scope: 'global', regionUuid: '' });
    const state = checkUpdate(uuid, current, auth, input, this.platforms.nameTakenBy);
    if (Object.keys(input).length === 0) throw invalidArgument('the body changes nothing: give at least one field');
    const target = { ...state, ...input };
    let negotiated: Negotiated | undefined;
    if (input.credentials || input.hostIp !== undefined) this.connector.assertAllowed(target.hostIp);
    if (input.credentials) negotiated = await this.connector.negotiate(uuid, target, input.credentials.username, input.credentials.password);
    const done = await this.commands.run(msg, uuid, auth.ok ? auth.caller.accountUuid : null, (s) =>
      decideUpdate(uuid, input, s, auth, { now: new Date().toISOString(), nameTakenBy: this.platforms.nameTakenBy, negotiated }));
    const entry = negotiated ? await this.probes.record(uuid, negotiated.probe) : this.probes.get(uuid);
    return { result: toView(done.state!, entry?.counters), position: done.position, sessionUuid: msg.auth.sessionUuid };
  }
}
