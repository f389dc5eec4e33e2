import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { preconfigurationTemplateStreamId, type PreconfigurationTemplateEvent } from '@cp/contracts';
import { CommandRunner } from '@cp/bus';
import { Projection, type EventStore } from '@cp/event-store';
import { BAREMETAL_CONFIG, type BaremetalConfig } from '../config';
import { EVENT_STORE, TEMPLATE_PROJECTION } from '../tokens';
import { evolve, type TemplateState } from './template.decider';
import { TemplateReadModel } from './template.read-model';

/** md5sum: lowercase hex MD5 of the content's UTF-8 bytes (ZStack's StringDSL.getMd5Sum). */
export const md5 = (content: string) => createHash('md5').update(content, 'utf8').digest('hex');

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
