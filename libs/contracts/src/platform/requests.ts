import { ApiMessage } from '../api-message';
import { ApiParam } from '../validation';

/**
 * The Platform API's requests (control-plane-api.md, "Platforms"). The bodies are checked field by
 * field by platform-svc's input rules (unknown fields refused, each rule named in the error).
 */

export class CreatePlatformMsg extends ApiMessage {
  @ApiParam({ type: 'json' }) body?: unknown;
}

export class UpdatePlatformMsg extends ApiMessage {
  @ApiParam({ type: 'json' }) uuid?: unknown;
  @ApiParam({ type: 'json' }) body?: unknown;
}

export class PlatformByUuidMsg extends ApiMessage {
  @ApiParam({ type: 'json' }) uuid?: unknown;
}

export class DeletePlatformMsg extends PlatformByUuidMsg {}
export class GetPlatformMsg extends PlatformByUuidMsg {}
export class TestPlatformConnectionMsg extends PlatformByUuidMsg {}
export class GetPlatformHealthHistoryMsg extends PlatformByUuidMsg {}

export class TestConnectionDetailedMsg extends ApiMessage {
  @ApiParam({ type: 'json' }) body?: unknown;
}

export class RotatePlatformKeysMsg extends ApiMessage {}

export class ListPlatformsMsg extends ApiMessage {
  @ApiParam({ type: 'json' }) name?: unknown;
  @ApiParam({ type: 'json' }) productType?: unknown;
  @ApiParam({ type: 'json' }) status?: unknown;
  @ApiParam({ type: 'json' }) healthStatus?: unknown;
  @ApiParam({ type: 'json' }) scope?: unknown;
  @ApiParam({ type: 'json' }) regionUuid?: unknown;
  @ApiParam({ type: 'json' }) limit?: unknown;
  @ApiParam({ type: 'json' }) offset?: unknown;
}
