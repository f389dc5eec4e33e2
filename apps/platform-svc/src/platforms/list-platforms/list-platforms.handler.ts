import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ListPlatformsMsg, adminOnly, requireSession } from '@cp/contracts';
import type { HandlerOutcome } from '@cp/bus';
import { runQuery, type Condition, type FieldSchema } from '@cp/query';
import { toView, type PlatformState } from '@cp/domain/platform';
import { PlatformReadModel } from '@cp/read-models/platform';
import { PLATFORM_CONFIG, type PlatformConfig } from '../../config';
import { ProbeStore } from '../../health/probe.store';
import { PlatformListSource } from './platform-list.source';

/** The list's filters: equality on these fields of the stored platform (as the view shows them). */
const FILTERS = ['name', 'productType', 'status', 'healthStatus', 'scope', 'regionUuid'] as const;
const FIELDS: FieldSchema = Object.fromEntries(FILTERS.map((f) => [f, 'string']));
const DEFAULT_LIMIT = 100;

/**
 * The platforms, filtered, in creation order (createDate, then uuid), a page of them (limit/offset)
 * and the total: a query of the one engine (@cp/query) over the read model, in that order.
 */
@QueryHandler(ListPlatformsMsg)
export class ListPlatformsHandler implements IQueryHandler<ListPlatformsMsg, HandlerOutcome> {
  private readonly source: PlatformListSource;

  constructor(
    platforms: PlatformReadModel,
    private readonly probes: ProbeStore,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {
    this.source = new PlatformListSource(platforms);
  }

  async execute(msg: ListPlatformsMsg): Promise<HandlerOutcome> {
    adminOnly(requireSession(msg.call.auth), 'Platform API');
    const conditions: Condition[] = FILTERS.flatMap((field) => (msg[field] === undefined ? [] : [{ field, op: '=' as const, value: msg[field] }]));
    const { inventories, total } = runQuery(this.source, {
      conditions, start: msg.offset ?? 0, limit: msg.limit ?? DEFAULT_LIMIT, count: false, replyWithCount: true,
    }, FIELDS, { timeLimitMs: this.config.queryTimeLimitMs });
    const platforms = (inventories as unknown as PlatformState[]).map((p) => toView(p, this.probes.get(p.uuid)?.counters));
    return { result: { platforms, total } };
  }
}
