import { platformStreamId, type PlatformEvent } from '@cp/contracts';
import { AggregateCommands } from '@cp/bus';
import { evolve, type PlatformState } from '@cp/domain/platform';
import { PlatformReadModel } from '@cp/read-models/platform';
import { PLATFORM_PROJECTION } from '../tokens';

/** The command cycle for platforms: `platform-<uuid>` streams, the platform read model. */
export class PlatformCommands extends AggregateCommands<PlatformState, PlatformEvent>({
  streamId: platformStreamId, evolve, model: PlatformReadModel, projection: PLATFORM_PROJECTION,
}) {}
