import { Controller, Inject } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import {
  APIQueryPreconfigurationTemplateMsg, PreconfigurationTemplateInventoryDescriptor, apiByName, subjectOf, validatePayload,
} from '@cp/contracts';
import { RemoteAuthenticator, type BusMessage, type HandlerOutcome } from '@cp/bus';
import { Projection } from '@cp/event-store';
import { requestFromPayload, runQuery } from '@cp/query';
import { BAREMETAL_CONFIG, type BaremetalConfig } from '../config';
import { TEMPLATE_PROJECTION } from '../tokens';
import { TemplateReadModel } from '@cp/read-models/baremetal';

/** Every account may query every template; `fields` without `content` leaves the content out of the reply. */
@Controller()
export class QueryTemplateHandler {
  constructor(
    private readonly templates: TemplateReadModel,
    private readonly auth: RemoteAuthenticator,
    @Inject(TEMPLATE_PROJECTION) private readonly projection: Projection,
    @Inject(BAREMETAL_CONFIG) private readonly config: BaremetalConfig,
  ) {}

  @MessagePattern(subjectOf(apiByName('QueryPreconfigurationTemplate')))
  async handle(msg: BusMessage): Promise<HandlerOutcome> {
    const dto = validatePayload(APIQueryPreconfigurationTemplateMsg, msg.payload);
    const request = requestFromPayload(dto.query);
    const auth = await this.auth.authenticate(msg.auth);
    if (!auth.ok) throw auth.error;
    if (msg.minPosition !== null) await this.projection.waitFor(msg.minPosition, this.config.readYourWritesTimeoutMs);
    return { result: runQuery(this.templates.source, request, PreconfigurationTemplateInventoryDescriptor.fields, { timeLimitMs: this.config.queryTimeLimitMs }) };
  }
}
