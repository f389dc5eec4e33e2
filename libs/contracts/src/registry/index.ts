import { AUDIT_APIS } from './audit';
import { BAREMETAL_APIS } from './baremetal';
import { IDENTITY_APIS } from './identity';
import { PLATFORM_APIS } from './platform';
import { SYSTEM_APIS } from './system';
import { type ApiEntry, type RestApiEntry, type ZStackApiEntry } from './types';
import { subjectOf, type Context } from '../bus';
import { apiParams } from '../validation';

export * from './types';
export { AUDIT_APIS, BAREMETAL_APIS, IDENTITY_APIS, PLATFORM_APIS, SYSTEM_APIS };
export { READ_MODEL_CONTEXTS } from './system';

/**
 * THE registry: every API this control plane serves, one declaration each. From it come the
 * gateway's ZStack and `/api/v1` routes, each service's bus subscriptions and handler check, the
 * typed NATS client (libs/client), `schema`, and docs/api-catalog.md.
 */
export const API_REGISTRY: readonly ApiEntry[] = [...IDENTITY_APIS, ...BAREMETAL_APIS, ...PLATFORM_APIS, ...AUDIT_APIS, ...SYSTEM_APIS];

/** The ZStack APIs under `/zstack/v1`. */
export const ZSTACK_APIS: readonly ZStackApiEntry[] = API_REGISTRY.filter((api): api is ZStackApiEntry => api.wire === 'zstack');
/** The routes of our own JSON API under `/api/v1`. */
export const REST_APIS: readonly RestApiEntry[] = API_REGISTRY.filter((api): api is RestApiEntry => api.wire === 'rest');

const bySubject = new Map(API_REGISTRY.map((api) => [subjectOf(api), api]));
if (bySubject.size !== API_REGISTRY.length) throw new Error('two APIs of the registry share a subject');

/** The ZStack API of this name (they are unique: ZStack's API names). */
export const apiByName = (name: string): ZStackApiEntry => {
  const api = ZSTACK_APIS.find((a) => a.name === name);
  if (!api) throw new Error(`no ZStack API named ${name} in the registry`);
  return api;
};

export const apiBySubject = (subject: string): ApiEntry | undefined => bySubject.get(subject);

/** The APIs a context's service answers. */
export const apisOf = (context: Context): readonly ApiEntry[] => API_REGISTRY.filter((api) => api.context === context);

/** The query string parameters of an `/api/v1` route: its request class's fields that are neither path params nor its body key. */
export const queryParamsOf = (api: RestApiEntry): readonly string[] => {
  const fromPath = [...api.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
  return apiParams(api.request).map((p) => p.name).filter((name) => !fromPath.includes(name) && name !== api.bodyKey);
};
