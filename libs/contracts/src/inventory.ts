/**
 * How an inventory is described once for everyone: its ZStack server class name (for `schema`),
 * and its fields with their types, in ZStack's field order (for the query engine and for the
 * gateway's timestamp rendering). Inventories travel on the bus with ISO-8601 timestamps; the
 * gateway renders them in ZStack's format.
 */
export type InventoryFieldType = 'string' | 'number' | 'boolean' | 'date';

export interface InventoryDescriptor {
  className: string;
  fields: Record<string, InventoryFieldType>;
  /** Nested lists of other inventories, for `schema` entries such as `inventory.attributes[0]`. */
  nested?: Record<string, InventoryDescriptor>;
}

export const dateFields = (d: InventoryDescriptor): string[] =>
  Object.entries(d.fields).filter(([, t]) => t === 'date').map(([k]) => k);
