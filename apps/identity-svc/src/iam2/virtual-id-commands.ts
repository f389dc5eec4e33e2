import { iam2VirtualIdStreamId, type IAM2VirtualIDEvent } from '@cp/contracts';
import { AggregateCommands, type NameClaim } from '@cp/bus';
import { evolveVirtualID, type VirtualIDState } from '@cp/domain/identity';
import { IAM2VirtualIDReadModel } from '@cp/read-models/identity';
import { IAM2_VIRTUAL_ID_PROJECTION } from '../tokens';

/** The command cycle for virtual IDs: `iam2vid-<uuid>` streams, the virtual ID read model. */
export class IAM2VirtualIDCommands extends AggregateCommands<VirtualIDState, IAM2VirtualIDEvent>({
  streamId: iam2VirtualIdStreamId, evolve: evolveVirtualID, model: IAM2VirtualIDReadModel, projection: IAM2_VIRTUAL_ID_PROJECTION,
}) {}

/** A virtual ID name, unique across identity-svc's replicas (UniqueNames). */
export const virtualIdName = (virtualIds: IAM2VirtualIDReadModel, name: string, uuid: string): NameClaim => ({
  kind: 'iam2vid', scope: '', name, uuid, exists: (holder) => virtualIds.uuidByName(name) === holder,
});
