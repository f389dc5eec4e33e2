import { ApiMessage } from '../api-message';
import { ApiParam } from '../validation';

/** The Audit API's requests (control-plane-api.md, "Audit"); audit-svc checks each filter's format. */

export class QueryAuditEventsMsg extends ApiMessage {
  @ApiParam({ type: 'json' }) resourceUuid?: unknown;
  @ApiParam({ type: 'json' }) resourceType?: unknown;
  @ApiParam({ type: 'json' }) eventType?: unknown;
  @ApiParam({ type: 'json' }) accountUuid?: unknown;
  @ApiParam({ type: 'json' }) from?: unknown;
  @ApiParam({ type: 'json' }) to?: unknown;
  @ApiParam({ type: 'json' }) after?: unknown;
  @ApiParam({ type: 'json' }) limit?: unknown;
}

export class GetResourceHistoryMsg extends ApiMessage {
  @ApiParam({ type: 'json' }) uuid?: unknown;
}

export class GetResourceAsOfMsg extends ApiMessage {
  @ApiParam({ type: 'json' }) uuid?: unknown;
  @ApiParam({ type: 'json' }) asOf?: unknown;
}
