import { platformStreamId, type PlatformEvent } from '@cp/contracts';
import { AggregateCommands, type NameClaim } from '@cp/bus';
import { evolve, type PlatformState } from '@cp/domain/platform';
import { PlatformReadModel } from '@cp/read-models/platform';
import { PLATFORM_PROJECTION } from '../tokens';

/** The command cycle for platforms: `platform-<uuid>` streams, the platform read model. */
export class PlatformCommands extends AggregateCommands<PlatformState, PlatformEvent>({
  streamId: platformStreamId, evolve, model: PlatformReadModel, projection: PLATFORM_PROJECTION,
}) {}

/** A platform name, unique per owner across platform-svc's replicas (UniqueNames). */
export const platformName = (platforms: PlatformReadModel, name: string, owner: string, uuid: string): NameClaim => ({
  kind: 'platform', scope: owner, name, uuid, exists: (holder) => platforms.nameTakenBy(name, owner) === holder,
});
