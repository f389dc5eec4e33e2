import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TestPlatformConnectionMsg } from '@cp/contracts';
import type { HandlerOutcome } from '@cp/bus';
import { decide, healthOf, requirePlatform, toView } from '@cp/domain/platform';
import { PlatformReadModel } from '@cp/read-models/platform';
import { PlatformConnector } from '../../connector/platform-connector';
import { ProbeStore } from '../../health/probe.store';
import { PlatformCommands } from '../platform-commands';

/** A connection test of a stored platform with its stored credential, recorded through events (its health may change). */
@CommandHandler(TestPlatformConnectionMsg)
export class TestPlatformConnectionHandler implements ICommandHandler<TestPlatformConnectionMsg, HandlerOutcome> {
  constructor(
    private readonly connector: PlatformConnector,
    private readonly platforms: PlatformReadModel,
    private readonly commands: PlatformCommands,
    private readonly probes: ProbeStore,
  ) {}

  async execute(msg: TestPlatformConnectionMsg): Promise<HandlerOutcome> {
    const uuid = msg.uuid;
    const state = requirePlatform(uuid, this.platforms.get(uuid) ?? null, msg.call.auth);
    const { probe, result } = await this.connector.probe(state);
    const entry = await this.probes.record(uuid, probe);
    const next = healthOf(entry.recent, this.connector.latencyThresholdMs);
    const done = await this.commands.run(msg, uuid, (s) =>
      decide({ type: 'TestPlatformConnection', data: { uuid, probe, probes: entry.recent, next } }, s));
    return { result: { ...result, platform: done.state ? toView(done.state, entry.counters) : undefined }, position: done.position };
  }
}
