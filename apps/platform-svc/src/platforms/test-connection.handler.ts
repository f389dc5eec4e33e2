import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { PLATFORM_SUBJECTS, adminOnly, requireSession } from '@cp/contracts';
import { RemoteAuthenticator, type BusMessage, type HandlerOutcome } from '@cp/bus';
import { PlatformConnector } from '../connector/platform-connector';
import { ProbeStore } from '../health/probe.store';
import { decideProbe, healthOf, requirePlatform, toView } from '@cp/domain/platform';
import { PlatformCommands } from './platform-commands';
import { PlatformReadModel } from '@cp/read-models/platform';
import { asBody, parseTestConnection } from './platform-input';

/**
 * TestConnectionDetailed (any endpoint and key, admin only: it makes the server connect where the
 * caller says) and the same for a stored platform with its stored credential, recorded through events.
 */
@Controller()
export class TestConnectionHandler {
  constructor(
    private readonly auth: RemoteAuthenticator,
    private readonly connector: PlatformConnector,
    private readonly platforms: PlatformReadModel,
    private readonly commands: PlatformCommands,
    private readonly probes: ProbeStore,
  ) {}

  @MessagePattern(PLATFORM_SUBJECTS.testConnection)
  async test(msg: BusMessage): Promise<HandlerOutcome> {
    const input = parseTestConnection(asBody(msg.payload).body);
    adminOnly(requireSession(await this.auth.authenticate(msg.auth)), 'Platform API');
    return { result: await this.connector.testConnection(input) };
  }

  @MessagePattern(PLATFORM_SUBJECTS.testStored)
  async testStored(msg: BusMessage): Promise<HandlerOutcome> {
    const uuid = String(asBody(msg.payload).uuid ?? '');
    const auth = await this.auth.authenticate(msg.auth);
    const state = requirePlatform(uuid, this.platforms.get(uuid) ?? null, auth);
    const { probe, result } = await this.connector.probe(state);
    const entry = await this.probes.record(uuid, probe);
    const next = healthOf(entry.recent, this.connector.latencyThresholdMs);
    const done = await this.commands.run(msg, uuid, auth.ok ? auth.caller.accountUuid : null, (s) =>
      s ? [{ type: 'PlatformConnectionTested' as const, data: { uuid, probe } }, ...decideProbe(uuid, s, entry.recent, next)] : []);
    return { result: { ...result, platform: done.state ? toView(done.state, entry.counters) : undefined }, position: done.position };
  }
}
