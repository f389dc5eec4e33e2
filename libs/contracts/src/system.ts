import { ApiMessage } from './api-message';
import { ApiParam } from './validation';

/** The bus-only APIs every domain service answers (docs/nats-bus.md). */

/** `<context>.query.Health`: the service's state; `gc: true` collects first when node runs with --expose-gc (heap benches). */
export class HealthMsg extends ApiMessage {
  @ApiParam({ type: 'boolean' }) gc?: boolean;
}

/** `identity.query.Authenticate`: the request's `auth` in, `{caller}` out (AUTHENTICATE_SUBJECT). */
export class AuthenticateMsg extends ApiMessage {}

/** `<context>.query.ReadModelSnapshot`: each read model's content and position (`npm run replay -- --verify`). */
export class ReadModelSnapshotMsg extends ApiMessage {}

/** `<context>.cmd.RebuildReadModels`: rebuild every read model beside the live one and swap it in. */
export class RebuildReadModelsMsg extends ApiMessage {}
