import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ListPlatformsMsg, adminOnly, requireSession } from '@cp/contracts';
import type { HandlerOutcome } from '@cp/bus';
import { toView } from '@cp/domain/platform';
import { PlatformReadModel } from '@cp/read-models/platform';
import { ProbeStore } from '../../health/probe.store';
import { parseListPlatforms } from '../platform-input';

/** The platforms, filtered, in creation order (createDate, then uuid), a page of them (limit/offset) and the total. */
@QueryHandler(ListPlatformsMsg)
export class ListPlatformsHandler implements IQueryHandler<ListPlatformsMsg, HandlerOutcome> {
  constructor(private readonly platforms: PlatformReadModel, private readonly probes: ProbeStore) {}

  async execute(msg: ListPlatformsMsg): Promise<HandlerOutcome> {
    // The whole query (the parser refuses an unknown parameter), checked before the caller.
    const filter = parseListPlatforms(msg.call.bus.payload);
    adminOnly(requireSession(msg.call.auth), 'Platform API');
    // A name filter reads the platforms so called (the name index), not all of them.
    const views = (filter.name !== undefined ? this.platforms.named(filter.name) : this.platforms.all())
      .map((p) => toView(p, this.probes.get(p.uuid)?.counters))
      .filter((v) => (['name', 'productType', 'status', 'healthStatus', 'scope', 'regionUuid'] as const)
        .every((key) => filter[key] === undefined || v[key] === filter[key]))
      .sort((a, b) => a.createDate.localeCompare(b.createDate) || a.uuid.localeCompare(b.uuid));
    return { result: { platforms: views.slice(filter.offset, filter.offset + filter.limit), total: views.length } };
  }
}
