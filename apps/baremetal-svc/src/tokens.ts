/** The projection of the `preconfigtemplate` streams into TemplateReadModel. */
export const TEMPLATE_PROJECTION = Symbol('TEMPLATE_PROJECTION');
