import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { APIQueryPreconfigurationTemplateMsg, PreconfigurationTemplateInventoryDescriptor } from '@cp/contracts';
import { answerQuery, type HandlerOutcome } from '@cp/bus';
import { TemplateReadModel } from '@cp/read-models/baremetal';
import { BAREMETAL_CONFIG, type BaremetalConfig } from '../../config';

/** Every account may query every template; `fields` without `content` leaves the content out of the reply. */
@QueryHandler(APIQueryPreconfigurationTemplateMsg)
export class QueryPreconfigurationTemplateHandler implements IQueryHandler<APIQueryPreconfigurationTemplateMsg, HandlerOutcome> {
  constructor(private readonly templates: TemplateReadModel, @Inject(BAREMETAL_CONFIG) private readonly config: BaremetalConfig) {}

  async execute(msg: APIQueryPreconfigurationTemplateMsg): Promise<HandlerOutcome> {
    return answerQuery(msg, () => this.templates.source, PreconfigurationTemplateInventoryDescriptor, this.config.queryTimeLimitMs);
  }
}
