import { Inject, Injectable } from '@nestjs/common';
import { preconfigurationTemplateStreamId, type PreconfigurationTemplateEvent } from '@cp/contracts';
import { CommandRunner } from '@cp/bus';
import { Projection, type EventStore } from '@cp/event-store';
import { evolve, type TemplateState } from '@cp/domain/baremetal';
import { TemplateReadModel } from '@cp/read-models/baremetal';
import { BAREMETAL_CONFIG, type BaremetalConfig } from '../config';
import { EVENT_STORE, TEMPLATE_PROJECTION } from '../tokens';

/** The command cycle (CommandRunner) for templates: `preconfigtemplate-<uuid>` streams, the template read model. */
@Injectable()
export class TemplateCommands extends CommandRunner<TemplateState, PreconfigurationTemplateEvent> {
  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(TEMPLATE_PROJECTION) projection: Projection,
    templates: TemplateReadModel,
    @Inject(BAREMETAL_CONFIG) config: BaremetalConfig,
  ) {
    super(store, projection, {
      streamId: preconfigurationTemplateStreamId, evolve, loaded: (uuid) => templates.loaded(uuid),
    }, config.readYourWritesTimeoutMs);
  }
}
