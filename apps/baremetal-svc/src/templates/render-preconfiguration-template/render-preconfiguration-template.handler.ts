import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  RenderPreconfigurationTemplateMsg, invalidArgument, notFound, requireSession, type RenderedPreconfigurationTemplate,
} from '@cp/contracts';
import type { HandlerOutcome } from '@cp/bus';
import { extractParams, renderTemplate } from '@cp/domain/baremetal';
import { TemplateReadModel } from '@cp/read-models/baremetal';

/** Longest value of one param: a template's own content limit. */
const MAX_VALUE_LENGTH = 16_777_215;

/**
 * The preview (ours, `POST /api/v1/baremetal/preconfigurations/{uuid}/render`): the template with the
 * given param values filled in, and the params left without one. A value for a name the template
 * does not use is refused (unknown body fields are rejected on the Platform/Audit APIs: a typo must
 * not pass silently). Any account may render any template, as any account may query them.
 */
@QueryHandler(RenderPreconfigurationTemplateMsg)
export class RenderPreconfigurationTemplateHandler implements IQueryHandler<RenderPreconfigurationTemplateMsg, HandlerOutcome> {
  constructor(private readonly templates: TemplateReadModel) {}

  async execute(dto: RenderPreconfigurationTemplateMsg): Promise<HandlerOutcome> {
    requireSession(dto.call.auth);
    const template = this.templates.get(dto.uuid)?.inventory;
    if (!template) throw notFound(`invalid field[uuid], resource[uuid:${dto.uuid}, type:PreconfigurationTemplateVO] not found`);
    const { common, custom } = extractParams(template.content);
    const known = new Set([...common, ...custom]);
    const values: Record<string, string> = {};
    for (const [name, value] of Object.entries(dto.params)) {
      if (!known.has(name)) {
        throw invalidArgument(`params.${name.slice(0, 100)} is not a param of template[uuid:${dto.uuid}]; its params are [${[...known].join(', ')}]`);
      }
      if (typeof value !== 'string') throw invalidArgument(`params.${name} must be a string`);
      if (value.length > MAX_VALUE_LENGTH) throw invalidArgument(`params.${name} is longer than ${MAX_VALUE_LENGTH} characters`);
      values[name] = value;
    }
    const { text, missing } = renderTemplate(template.content, values);
    const result: RenderedPreconfigurationTemplate = { uuid: template.uuid, rendered: text, missingParams: missing };
    return { result };
  }
}
