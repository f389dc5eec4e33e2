import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { GetPlatformMsg } from '@cp/contracts';
import type { HandlerOutcome } from '@cp/bus';
import { requirePlatform, toView } from '@cp/domain/platform';
import { PlatformReadModel } from '@cp/read-models/platform';
import { ProbeStore } from '../../health/probe.store';

/** One platform, as the list shows it. */
@QueryHandler(GetPlatformMsg)
export class GetPlatformHandler implements IQueryHandler<GetPlatformMsg, HandlerOutcome> {
  constructor(private readonly platforms: PlatformReadModel, private readonly probes: ProbeStore) {}

  async execute(msg: GetPlatformMsg): Promise<HandlerOutcome> {
    const uuid = msg.uuid;
    const state = requirePlatform(uuid, this.platforms.get(uuid) ?? null, msg.call.auth);
    return { result: toView(state, this.probes.get(uuid)?.counters) };
  }
}
