/** A ZStack query's options: `q=` conditions (ANDed), paging, count, sort (zstack-wire.md §1.8). */
export interface ZQuery {
  /** Conditions as ZStack writes them: `name=web`, `state!=Disabled`, `name~=web%`, `uuid?=a,b`. */
  conditions?: readonly string[];
  /** Page size (ZStack's default: 1000). */
  limit?: number;
  /** Offset of the page. */
  start?: number;
  /** Only the number of matches (`total`), no inventories. */
  count?: boolean;
  /** `total` besides the page. */
  replyWithCount?: boolean;
  /** `+field` ascending, `-field` descending. */
  sort?: string;
  /** Only these fields of each inventory (`fields=a,b`): a template list without its content. */
  fields?: readonly string[];
}

/** The query string of a ZStack query API. */
export function zstackQueryString(query: ZQuery = {}): URLSearchParams {
  const params = new URLSearchParams();
  for (const condition of query.conditions ?? []) params.append('q', condition);
  if (query.limit !== undefined) params.set('limit', String(query.limit));
  if (query.start !== undefined) params.set('start', String(query.start));
  if (query.count) params.set('count', 'true');
  if (query.replyWithCount) params.set('replyWithCount', 'true');
  if (query.sort) params.set('sort', query.sort);
  if (query.fields?.length) params.set('fields', query.fields.join(','));
  return params;
}
