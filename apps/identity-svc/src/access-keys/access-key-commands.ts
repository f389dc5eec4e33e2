import { accessKeyStreamId, type AccessKeyEvent } from '@cp/contracts';
import { AggregateCommands } from '@cp/bus';
import { evolveAccessKey, type AccessKeyRecord } from '@cp/domain/identity';
import { AccessKeyReadModel } from '@cp/read-models/identity';
import { ACCESS_KEY_PROJECTION } from '../tokens';

/** The command cycle for access keys: `accesskey-<uuid>` streams, the access key read model. */
export class AccessKeyCommands extends AggregateCommands<AccessKeyRecord, AccessKeyEvent>({
  streamId: accessKeyStreamId, evolve: evolveAccessKey, model: AccessKeyReadModel, projection: ACCESS_KEY_PROJECTION,
}) {}
