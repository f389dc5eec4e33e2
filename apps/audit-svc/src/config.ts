import { serviceConfig, type ServiceConfig } from '@cp/config';

export type AuditConfig = ServiceConfig;

export const AUDIT_CONFIG = Symbol('AUDIT_CONFIG');

export function loadAuditConfig(env: NodeJS.ProcessEnv = process.env): AuditConfig {
  return serviceConfig(env);
}
