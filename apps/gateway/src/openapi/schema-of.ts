import { apiParams, type ApiParamSpec, type InventoryDescriptor, type InventoryFieldType } from '@cp/contracts';

/** A JSON Schema (2020-12, the dialect of OpenAPI 3.1). */
export type JsonSchema = { [keyword: string]: unknown };

/**
 * One `@ApiParam` field as a JSON Schema: the rules the request class validates with (class-validator
 * reads the same options), so the document says what the gateway and the services check. Rules
 * written as extra class-validator decorators (a host name, a calendar time) are the handler's and
 * are not expressed here.
 */
export function schemaOfParam(p: ApiParamSpec): JsonSchema {
  switch (p.type) {
    case 'string': {
      const s: JsonSchema = { type: 'string' };
      if (p.minLength !== undefined) s.minLength = p.minLength;
      if (p.maxLength !== undefined) s.maxLength = p.maxLength;
      if (p.validValues) s.enum = [...p.validValues];
      // A JSON Schema pattern has no flags: a regex with flags other than `u` would say something else.
      if (p.validRegex && /^u?$/.test(p.validRegex.flags)) s.pattern = p.validRegex.source;
      if (p.secret) Object.assign(s, { format: 'password', writeOnly: true });
      return s;
    }
    case 'int': {
      const s: JsonSchema = { type: 'integer' };
      if (p.numberRange) Object.assign(s, { minimum: p.numberRange[0], maximum: p.numberRange[1] });
      return s;
    }
    case 'boolean':
      return { type: 'boolean' };
    case 'map':
      return { type: 'object' };
    case 'list':
      return p.nonEmpty ? { type: 'array', minItems: 1 } : { type: 'array' };
    case 'object':
      return p.shape ? schemaOf(p.shape, { closed: p.refuseUnknown }) : { type: 'object' };
  }
}

export interface SchemaOfOptions {
  /** Fields that do not come from this object (a ZStack message's path variables). */
  omit?: readonly string[];
  /** Unknown keys are refused (`refuseUnknown`): `additionalProperties: false`. Otherwise they are ignored, as gson does. */
  closed?: boolean;
}

/** A request class (or a body shape) as an object schema: its declared fields in declaration order, the required ones listed. */
export function schemaOf(request: new () => object, options: SchemaOfOptions = {}): JsonSchema {
  const params = apiParams(request).filter((p) => !options.omit?.includes(p.name));
  const schema: JsonSchema = { type: 'object', properties: Object.fromEntries(params.map((p) => [p.name, schemaOfParam(p)])) };
  const required = params.filter((p) => p.required).map((p) => p.name);
  if (required.length > 0) schema.required = required;
  if (options.closed) schema.additionalProperties = false;
  return schema;
}

/** The component name of an inventory: its ZStack class's simple name (`AccountInventory`). */
export const inventoryName = (d: InventoryDescriptor): string => d.className.slice(d.className.lastIndexOf('.') + 1);

const inventoryField = (t: InventoryFieldType): JsonSchema => {
  if (t === 'date') {
    return {
      type: 'string',
      description: "ZStack's time format in ZSTACK_TIME_ZONE, e.g. `Aug 15, 2025 5:35:30 AM`",
      examples: ['Aug 15, 2025 5:35:30 AM'],
    };
  }
  return { type: t };
};

/**
 * An inventory as ZStack replies with it: its fields (nulls are omitted, so none is required),
 * nested lists as references to their own components, `x-zstack-class` the name `schema` uses.
 * Every inventory met on the way is added to `components` under its simple name.
 */
export function inventorySchema(d: InventoryDescriptor, components: Record<string, JsonSchema>): JsonSchema {
  const name = inventoryName(d);
  if (!components[name]) {
    const properties: Record<string, JsonSchema> = Object.fromEntries(Object.entries(d.fields).map(([k, t]) => [k, inventoryField(t)]));
    components[name] = { type: 'object', 'x-zstack-class': d.className, properties };
    for (const [field, nested] of Object.entries(d.nested ?? {}))
      properties[field] = { type: 'array', items: inventorySchema(nested, components) };
  }
  return { $ref: `#/components/schemas/${name}` };
}
