import type { Sealed } from './sealed';

/**
 * Federation platforms (control-plane-api.md, "Platforms"): connections to other clouds. The reply
 * shape of the Platform API, the events of the `platform` streams, and the bus subjects.
 */

export const PLATFORM_PRODUCT_TYPES = ['zstack', 'vmware', 'openstack'] as const;
export type PlatformProductType = (typeof PLATFORM_PRODUCT_TYPES)[number];
export const PLATFORM_SCOPES = ['global', 'region'] as const;
export type PlatformScope = (typeof PLATFORM_SCOPES)[number];
export const PLATFORM_STATUSES = ['connected', 'disconnected'] as const;
export type PlatformStatus = (typeof PLATFORM_STATUSES)[number];
export const PLATFORM_HEALTH_STATUSES = ['healthy', 'degraded', 'unhealthy'] as const;
export type PlatformHealthStatus = (typeof PLATFORM_HEALTH_STATUSES)[number];

export interface PlatformFeatures {
  syncResource: boolean;
  monitoring: boolean;
  logCollection: boolean;
}

/** The stored credential: ciphertexts only, sealed with the platform's data key (AAD: the platform uuid). */
export interface PlatformCredential {
  /** The login the credential was negotiated with. */
  usernameEnc: Sealed;
  /** The secret the control plane authenticates with: the vSphere password, the access key or application credential secret. */
  passwordEnc: Sealed;
  /** Not secret: the remote id of the secret (a ZStack AccessKeyID, a Keystone application credential id). */
  accessKeyId?: string;
}

/** One platform as the Platform API returns it: every field always present, `null` when not known. */
export interface PlatformView {
  uuid: string;
  name: string;
  productType: PlatformProductType;
  hostIp: string;
  hostPort: number;
  accessKeyName: string | null;
  status: PlatformStatus;
  lastError: string | null;
  features: PlatformFeatures & { credential: { usernameEnc: string | null; passwordEnc: string | null } };
  version: string | null;
  healthStatus: PlatformHealthStatus;
  lastSuccessAt: string | null;
  lastErrorAt: string | null;
  lastErrorDetail: string | null;
  successCount: number;
  errorCount: number;
  createDate: string;
  lastOpDate: string;
  scope: PlatformScope;
  regionUuid: string;
  useTls: boolean;
}

// --- Events ---------------------------------------------------------------------------------------

/** What a probe or negotiation found, as recorded (sanitised texts only). */
export interface ProbeRecord {
  ok: boolean;
  at: string;
  /** The failing step and its short message, when not ok. */
  error?: string;
  detail?: string;
  latencyMs?: number;
}

export interface PlatformCreated {
  type: 'PlatformCreated';
  data: {
    uuid: string; name: string; productType: PlatformProductType; hostIp: string; hostPort: number; useTls: boolean;
    scope: PlatformScope; regionUuid: string; features: PlatformFeatures; ownerAccountUuid: string;
    accessKeyName: string | null; credential: PlatformCredential | null; version: string | null;
    status: PlatformStatus; healthStatus: PlatformHealthStatus; negotiation: ProbeRecord; createDate: string;
  };
}

export interface PlatformUpdated {
  type: 'PlatformUpdated';
  data: {
    uuid: string; name?: string; hostIp?: string; hostPort?: number; useTls?: boolean; scope?: PlatformScope; regionUuid?: string;
    features?: PlatformFeatures; lastOpDate: string;
  };
}

/** A new credential: negotiated again (PATCH with username + password) or re-encrypted under a new key. */
export interface PlatformCredentialRotated {
  type: 'PlatformCredentialRotated';
  data: {
    uuid: string; reason: 'negotiated' | 'key-rotation'; accessKeyName: string | null; credential: PlatformCredential | null;
    version?: string | null; negotiation?: ProbeRecord; lastOpDate: string;
  };
}

export interface PlatformStatusChanged {
  type: 'PlatformStatusChanged';
  data: { uuid: string; status: PlatformStatus; previous: PlatformStatus; probe: ProbeRecord };
}

export interface PlatformHealthChanged {
  type: 'PlatformHealthChanged';
  data: { uuid: string; healthStatus: PlatformHealthStatus; previous: PlatformHealthStatus; probe: ProbeRecord };
}

/** A connection test an operator ran on a stored platform (POST /platforms/{uuid}/test-connection). */
export interface PlatformConnectionTested {
  type: 'PlatformConnectionTested';
  data: { uuid: string; probe: ProbeRecord };
}

export interface PlatformDeleted {
  type: 'PlatformDeleted';
  data: { uuid: string; deletedAt: string };
}

export type PlatformEvent =
  | PlatformCreated | PlatformUpdated | PlatformCredentialRotated | PlatformStatusChanged | PlatformHealthChanged
  | PlatformConnectionTested | PlatformDeleted;

export const PLATFORM_STREAM_CATEGORY = 'platform';
export const platformStreamId = (uuid: string) => `${PLATFORM_STREAM_CATEGORY}-${uuid}`;
