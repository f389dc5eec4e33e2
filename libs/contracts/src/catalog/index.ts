import { BAREMETAL_APIS } from './baremetal';
import { IDENTITY_APIS } from './identity';
import type { ApiEntry } from './types';

export * from './types';
export { BAREMETAL_APIS, IDENTITY_APIS };

/** Every ZStack API this control plane serves. */
export const API_CATALOG: readonly ApiEntry[] = [...IDENTITY_APIS, ...BAREMETAL_APIS];

export const apiByName = (name: string): ApiEntry => {
  const api = API_CATALOG.find((a) => a.name === name);
  if (!api) throw new Error(`no API named ${name} in the catalog`);
  return api;
};
export * from './rest-api';
