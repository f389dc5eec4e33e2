import { Inject, Injectable } from '@nestjs/common';
import { iam2VirtualIdStreamId, type IAM2VirtualIDEvent } from '@cp/contracts';
import { Projection, type EventStore } from '@cp/event-store';
import { CommandRunner } from '@cp/bus';
import { IDENTITY_CONFIG, type IdentityConfig } from '../config';
import { EVENT_STORE, IAM2_VIRTUAL_ID_PROJECTION } from '../tokens';
import { evolveVirtualID as evolve, type VirtualIDState } from '@cp/domain/identity';
import { IAM2VirtualIDReadModel } from '@cp/read-models/identity';

/** The command cycle (CommandRunner) for virtual IDs: `iam2vid-<uuid>` streams, the virtual ID read model. */
@Injectable()
export class IAM2VirtualIDCommands extends CommandRunner<VirtualIDState, IAM2VirtualIDEvent> {
  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(IAM2_VIRTUAL_ID_PROJECTION) projection: Projection,
    virtualIds: IAM2VirtualIDReadModel,
    @Inject(IDENTITY_CONFIG) config: IdentityConfig,
  ) {
    super(store, projection, { streamId: iam2VirtualIdStreamId, evolve, loaded: (uuid) => virtualIds.loaded(uuid) }, config.readYourWritesTimeoutMs);
  }
}
