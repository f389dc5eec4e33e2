/** A platform as the Platform API returns it (control-plane-api.md, "Platforms"). */
export interface Platform {
  uuid: string;
  name: string;
  productType: ProductType;
  hostIp: string;
  hostPort: number;
  useTls?: boolean;
  accessKeyName: string | null;
  /** `connected` or `disconnected`. */
  status: string;
  healthStatus: HealthStatus | null;
  lastError: string | null;
  lastErrorAt: string | null;
  lastErrorDetail: string | null;
  lastSuccessAt: string | null;
  successCount: number;
  errorCount: number;
  version: string | null;
  createDate: string;
  lastOpDate: string | null;
  scope: 'global' | 'region';
  regionUuid: string;
  features: { syncResource?: boolean; monitoring?: boolean; logCollection?: boolean };
}

export const PRODUCT_TYPES = ['zstack', 'vmware', 'openstack'] as const;
export type ProductType = (typeof PRODUCT_TYPES)[number];
export const STATUSES = ['connected', 'disconnected'] as const;
export const HEALTH_STATUSES = ['healthy', 'degraded', 'unhealthy'] as const;
export type HealthStatus = (typeof HEALTH_STATUSES)[number];
/** What the console shows for a platform never probed (or with a health it does not know). */
export type ShownHealth = HealthStatus | 'unknown';

export const shownHealth = (platform: Pick<Platform, 'healthStatus'>): ShownHealth =>
  (HEALTH_STATUSES as readonly string[]).includes(platform.healthStatus ?? '') ? (platform.healthStatus as HealthStatus) : 'unknown';

export interface PlatformList {
  platforms: Platform[];
  total: number;
}

/** One entry of GetPlatformHealthHistory: the creation, then each change of health or of status. */
export interface HealthHistoryEntry {
  position: string;
  at: string;
  healthStatus?: HealthStatus;
  status?: string;
  previous: string | null;
  reason: string;
}

/** TestConnectionDetailed's reply. */
export interface ConnectionTest {
  success: boolean;
  items: { name: string; /** `success`, `failure` or `skipped`. */ status: string; latencyMs: string; errorMsg?: string }[];
  recommendation: string;
}

export const PRODUCT_LABELS: Record<ProductType, string> = { zstack: 'ZStack', vmware: 'VMware vSphere', openstack: 'OpenStack' };
