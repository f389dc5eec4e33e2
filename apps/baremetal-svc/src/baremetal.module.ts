import { Module, type DynamicModule } from '@nestjs/common';
import { serviceProviders, HEALTH_DETAILS } from '@cp/bus';
import { TemplateReadModel } from '@cp/read-models/baremetal';
import { BAREMETAL_CONFIG, type BaremetalConfig } from './config';
import { AddPreconfigurationTemplateHandler } from './templates/add-preconfiguration-template/add-preconfiguration-template.handler';
import { ChangePreconfigurationTemplateStateHandler } from './templates/change-preconfiguration-template-state/change-preconfiguration-template-state.handler';
import { DeletePreconfigurationTemplateHandler } from './templates/delete-preconfiguration-template/delete-preconfiguration-template.handler';
import { PredefinedTemplatesBootstrap } from './templates/predefined-bootstrap';
import { QueryPreconfigurationTemplateHandler } from './templates/query-preconfiguration-template/query-preconfiguration-template.handler';
import { RenderPreconfigurationTemplateHandler } from './templates/render-preconfiguration-template/render-preconfiguration-template.handler';
import { TemplateCommands } from './templates/template-commands';
import { UpdatePreconfigurationTemplateHandler } from './templates/update-preconfiguration-template/update-preconfiguration-template.handler';
import { TEMPLATE_PROJECTION } from './tokens';

@Module({})
export class BaremetalModule {
  static forRoot(config: BaremetalConfig): DynamicModule {
    return {
      module: BaremetalModule,
      providers: [
        ...serviceProviders({
          name: 'baremetal-svc', context: 'baremetal', config,
          readModels: [{ name: 'baremetal.templates', model: TemplateReadModel, projection: TEMPLATE_PROJECTION, fresh: () => new TemplateReadModel() }],
        }),
        // One handler per API of the registry's `baremetal` context (the service refuses to start without one).
        AddPreconfigurationTemplateHandler, UpdatePreconfigurationTemplateHandler, ChangePreconfigurationTemplateStateHandler,
        DeletePreconfigurationTemplateHandler, QueryPreconfigurationTemplateHandler, RenderPreconfigurationTemplateHandler,
        { provide: BAREMETAL_CONFIG, useValue: config },
        {
          provide: HEALTH_DETAILS, inject: [TemplateReadModel],
          useFactory: (templates: TemplateReadModel) => () => ({ templates: templates.size, distinctContents: templates.distinctContents }),
        },
        TemplateCommands,
        PredefinedTemplatesBootstrap,
      ],
    };
  }
}
