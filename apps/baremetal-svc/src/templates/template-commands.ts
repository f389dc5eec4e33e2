import { preconfigurationTemplateStreamId, type PreconfigurationTemplateEvent } from '@cp/contracts';
import { AggregateCommands } from '@cp/bus';
import { evolve, type TemplateState } from '@cp/domain/baremetal';
import { TemplateReadModel } from '@cp/read-models/baremetal';
import { TEMPLATE_PROJECTION } from '../tokens';

/** The command cycle for templates: `preconfigtemplate-<uuid>` streams, the template read model. */
export class TemplateCommands extends AggregateCommands<TemplateState, PreconfigurationTemplateEvent>({
  streamId: preconfigurationTemplateStreamId, evolve, model: TemplateReadModel, projection: TEMPLATE_PROJECTION,
}) {}
