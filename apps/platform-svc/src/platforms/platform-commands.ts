import { Inject, Injectable } from '@nestjs/common';
import { platformStreamId, type PlatformEvent } from '@cp/contracts';
import { CommandRunner } from '@cp/bus';
import { Projection, type EventStore } from '@cp/event-store';
import { evolve, type PlatformState } from '@cp/domain/platform';
import { PlatformReadModel } from '@cp/read-models/platform';
import { PLATFORM_CONFIG, type PlatformConfig } from '../config';
import { EVENT_STORE, PLATFORM_PROJECTION } from '../tokens';

/** The command cycle (CommandRunner) for platforms: `platform-<uuid>` streams, the platform read model. */
@Injectable()
export class PlatformCommands extends CommandRunner<PlatformState, PlatformEvent> {
  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(PLATFORM_PROJECTION) projection: Projection,
    platforms: PlatformReadModel,
    @Inject(PLATFORM_CONFIG) config: PlatformConfig,
  ) {
    super(store, projection, { streamId: platformStreamId, evolve, loaded: (uuid) => platforms.loaded(uuid) }, config.readYourWritesTimeoutMs);
  }
}
