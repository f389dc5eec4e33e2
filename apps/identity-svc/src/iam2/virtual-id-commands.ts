import { iam2VirtualIdStreamId, type IAM2VirtualIDEvent } from '@cp/contracts';
import { AggregateCommands } from '@cp/bus';
import { evolveVirtualID, type VirtualIDState } from '@cp/domain/identity';
import { IAM2VirtualIDReadModel } from '@cp/read-models/identity';
import { IAM2_VIRTUAL_ID_PROJECTION } from '../tokens';

/** The command cycle for virtual IDs: `iam2vid-<uuid>` streams, the virtual ID read model. */
export class IAM2VirtualIDCommands extends AggregateCommands<VirtualIDState, IAM2VirtualIDEvent>({
  streamId: iam2VirtualIdStreamId, evolve: evolveVirtualID, model: IAM2VirtualIDReadModel, projection: IAM2_VIRTUAL_ID_PROJECTION,
}) {}
