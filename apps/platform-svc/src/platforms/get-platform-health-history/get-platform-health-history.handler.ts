import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { GetPlatformHealthHistoryMsg, platformStreamId, type PlatformEvent } from '@cp/contracts';
import { positionToString, type EventStore } from '@cp/event-store';
import { requirePlatform } from '@cp/domain/platform';
import { PlatformReadModel } from '@cp/read-models/platform';
import { EVENT_STORE, type HandlerOutcome } from '@cp/bus';

/** The health timeline from the log: the first negotiation, then every change of health or status. */
@QueryHandler(GetPlatformHealthHistoryMsg)
export class GetPlatformHealthHistoryHandler implements IQueryHandler<GetPlatformHealthHistoryMsg, HandlerOutcome> {
  constructor(private readonly platforms: PlatformReadModel, @Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute(msg: GetPlatformHealthHistoryMsg): Promise<HandlerOutcome> {
    const uuid = msg.uuid;
    requirePlatform(uuid, this.platforms.get(uuid) ?? null, msg.call.auth);
    const { events } = await this.store.readStream(platformStreamId(uuid));
    const history = [];
    for (const stored of events) {
      const e = { type: stored.type, data: stored.data } as PlatformEvent;
      const position = positionToString(stored.position);
      if (e.type === 'PlatformCreated') {
        history.push({ position, at: e.data.createDate, healthStatus: e.data.healthStatus, status: e.data.status, previous: null, reason: e.data.negotiation.error ?? 'created' });
      } else if (e.type === 'PlatformHealthChanged') {
        history.push({ position, at: e.data.probe.at, healthStatus: e.data.healthStatus, previous: e.data.previous, reason: e.data.probe.error ?? 'probe succeeded' });
      } else if (e.type === 'PlatformStatusChanged') {
        history.push({ position, at: e.data.probe.at, status: e.data.status, previous: e.data.previous, reason: e.data.probe.error ?? 'probe succeeded' });
      }
    }
    return { result: { uuid, history } };
  }
}
