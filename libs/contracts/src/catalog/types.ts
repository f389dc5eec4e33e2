import type { Context } from '../bus';
import type { InventoryDescriptor } from '../inventory';

/**
 * One declaration per API. The gateway's routes, the `schema` builder, the bus subjects, the NATS
 * example client and docs/api-catalog.md are all derived from these entries.
 */
export interface ApiEntry {
  /** ZStack's API name, e.g. `CreateAccount`; also the last part of the NATS subject. */
  name: string;
  context: Context;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Paths under `/zstack/v1` (ZStack's `/v1` + path); the first is canonical, the rest are optionalPaths. */
  paths: readonly string[];
  /** The body key for POST/PUT (`params`, or the action name such as `updateAccount`). */
  bodyKey?: string;
  /** Async APIs answer through the job protocol; sync APIs answer 200 / 503 at once. */
  kind: 'async' | 'sync';
  /** `none` for ZStack's @SuppressCredentialCheck APIs (login, logout, validate session). */
  auth: 'session' | 'none';
  /** A query API: the query string is parsed by libs/query and `inventories` come back. */
  query?: boolean;
  /** The request DTO (validated by the service); its field types drive the REST TypeVerifier. */
  request: new () => object;
  /** The inventory of `inventory` / `inventories[i]` in the result, for `schema` and timestamps. */
  result?: InventoryDescriptor;
  /** Body size limit in bytes, when it differs from the gateway's default. */
  maxBodyBytes?: number;
  /**
   * Dotted paths of result fields that are secrets shown once (an access key's secret): the job
   * record keeps them sealed with the service's master key, opened only for the job's owner.
   */
  secretResultFields?: readonly string[];
}

export const subjectOf = (api: ApiEntry) => `${api.context}.${api.kind === 'async' ? 'cmd' : 'query'}.${api.name}`;
