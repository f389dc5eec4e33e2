import type { ZStackApiEntry, InventoryDescriptor } from '@cp/contracts';

type Row = Record<string, unknown>;

/**
 * Turns a service's result map into ZStack's reply body: timestamps in ZStack's format, nulls
 * omitted, and `schema` (JSON path → ZStack server class) for query replies and whenever the
 * client sends `X-JSON-Schema` (the Java SDK needs it to type list elements).
 */
export class ZStackRenderer {
  constructor(private readonly formatDate: (iso: string) => string) {}

  render(api: ZStackApiEntry, result: unknown, withSchema: boolean): Row {
    const body: Row = { ...(result as Row) };
    const descriptor = api.result;
    const schema: Record<string, string> = {};
    if (descriptor && body.inventory && typeof body.inventory === 'object') {
      body.inventory = this.inventory(descriptor, body.inventory as Row, 'inventory', schema);
    }
    if (descriptor && Array.isArray(body.inventories)) {
      body.inventories = (body.inventories as Row[]).map((row, i) => this.inventory(descriptor, row, `inventories[${i}]`, schema));
    }
    for (const key of Object.keys(body)) if (body[key] === null || body[key] === undefined) delete body[key];
    if (api.query || withSchema) body.schema = schema;
    return body;
  }

  private inventory(d: InventoryDescriptor, row: Row, path: string, schema: Record<string, string>): Row {
    schema[path] = d.className;
    const out: Row = {};
    for (const key of Object.keys(row)) {
      const value = row[key];
      if (value === null || value === undefined) continue;
      out[key] = d.fields[key] === 'date' && typeof value === 'string' ? this.formatDate(value) : value;
    }
    for (const [field, nested] of Object.entries(d.nested ?? {})) {
      const list = out[field];
      if (Array.isArray(list)) out[field] = list.map((r, i) => this.inventory(nested, r as Row, `${path}.${field}[${i}]`, schema));
    }
    return out;
  }
}
