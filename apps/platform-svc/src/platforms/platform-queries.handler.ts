import { Controller, Inject } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { PLATFORM_SUBJECTS, adminOnly, platformStreamId, requireSession, type PlatformEvent } from '@cp/contracts';
import { RemoteAuthenticator, type BusMessage, type HandlerOutcome } from '@cp/bus';
import { Projection, positionToString, type EventStore } from '@cp/event-store';
import { PLATFORM_CONFIG, type PlatformConfig } from '../config';
import { ProbeStore } from '../health/probe.store';
import { EVENT_STORE, PLATFORM_PROJECTION } from '../tokens';
import { requirePlatform, toView } from '@cp/domain/platform';
import { PlatformReadModel } from '@cp/read-models/platform';
import { asBody, parseListPlatforms } from './platform-input';

/** The reads of the Platform API: list (filters, limit/offset), one platform, its health timeline. */
@Controller()
export class PlatformQueriesHandler {
  constructor(
    private readonly platforms: PlatformReadModel,
    private readonly auth: RemoteAuthenticator,
    private readonly probes: ProbeStore,
    @Inject(PLATFORM_PROJECTION) private readonly projection: Projection,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  @MessagePattern(PLATFORM_SUBJECTS.list)
  async list(msg: BusMessage): Promise<HandlerOutcome> {
    const filter = parseListPlatforms(msg.payload);
    adminOnly(requireSession(await this.auth.authenticate(msg.auth)), 'Platform API');
    await this.caughtUp(msg);
    // A name filter reads the platforms so called (the name index), not all of them.
    const views = (filter.name !== undefined ? this.platforms.named(filter.name) : this.platforms.all())
      .map((p) => toView(p, this.probes.get(p.uuid)?.counters))
      .filter((v) => (['name', 'productType', 'status', 'healthStatus', 'scope', 'regionUuid'] as const)
        .every((key) => filter[key] === undefined || v[key] === filter[key]))
      .sort((a, b) => a.createDate.localeCompare(b.createDate) || a.uuid.localeCompare(b.uuid));
    return { result: { platforms: views.slice(filter.offset, filter.offset + filter.limit), total: views.length } };
  }

  @MessagePattern(PLATFORM_SUBJECTS.get)
  async get(msg: BusMessage): Promise<HandlerOutcome> {
    const uuid = String(asBody(msg.payload).uuid ?? '');
    const auth = await this.auth.authenticate(msg.auth);
    await this.caughtUp(msg);
    const state = requirePlatform(uuid, this.platforms.get(uuid) ?? null, auth);
    return { result: toView(state, this.probes.get(uuid)?.counters) };
  }

  /** The health timeline from the log: the first negotiation, then every change of health or status. */
  @MessagePattern(PLATFORM_SUBJECTS.healthHistory)
  async healthHistory(msg: BusMessage): Promise<HandlerOutcome> {
    const uuid = String(asBody(msg.payload).uuid ?? '');
    const auth = await this.auth.authenticate(msg.auth);
    await this.caughtUp(msg);
    requirePlatform(uuid, this.platforms.get(uuid) ?? null, auth);
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

  private async caughtUp(msg: BusMessage): Promise<void> {
    if (msg.minPosition !== null) await this.projection.waitFor(msg.minPosition, this.config.readYourWritesTimeoutMs);
  }
}
