import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { accessKeyStreamId, type AccessKeyEvent } from '@cp/contracts';
import { Projection, type EventStore } from '@cp/event-store';
import { CommandRunner } from '@cp/bus';
import { IDENTITY_CONFIG, type IdentityConfig } from '../config';
import { ACCESS_KEY_PROJECTION, EVENT_STORE } from '../tokens';
import { evolveAccessKey as evolve, type AccessKeyRecord } from '@cp/domain/identity';
import { AccessKeyReadModel } from '@cp/read-models/identity';

/** The command cycle (CommandRunner) for access keys: `accesskey-<uuid>` streams, the access key read model. */
@Injectable()
export class AccessKeyCommands extends CommandRunner<AccessKeyRecord, AccessKeyEvent> {
  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(ACCESS_KEY_PROJECTION) projection: Projection,
    keys: AccessKeyReadModel,
    @Inject(IDENTITY_CONFIG) config: IdentityConfig,
  ) {
    super(store, projection, { streamId: accessKeyStreamId, evolve, loaded: (uuid) => keys.loaded(uuid) }, config.readYourWritesTimeoutMs);
  }
}

/** Stops the access key projection before the service closes the event store and NATS. */
@Injectable()
export class AccessKeyLifecycle implements BeforeApplicationShutdown {
  constructor(@Inject(ACCESS_KEY_PROJECTION) private readonly projection: Projection) {}

  async beforeApplicationShutdown(): Promise<void> {
    await this.projection.stop();
  }
}
