import { serviceConfig, type ServiceConfig } from '@cp/config';

export type BaremetalConfig = ServiceConfig;

export const BAREMETAL_CONFIG = Symbol('BAREMETAL_CONFIG');

export function loadBaremetalConfig(env: NodeJS.ProcessEnv = process.env): BaremetalConfig {
  return serviceConfig(env);
}
