import type { PlatformFeatures, PlatformProductType, PlatformScope } from '@cp/contracts';

/**
 * What the platform commands carry once a request body has been checked (the Platform API's
 * create and update bodies, control-plane-api.md): the decider's input, whatever parsed it.
 */

export interface CreatePlatformInput {
  name: string;
  productType: PlatformProductType;
  hostIp: string;
  hostPort: number;
  username: string;
  password: string;
  scope: PlatformScope;
  regionUuid: string;
  features: PlatformFeatures;
  useTls: boolean;
}

export interface UpdatePlatformInput {
  name?: string;
  hostIp?: string;
  hostPort?: number;
  useTls?: boolean;
  scope?: PlatformScope;
  regionUuid?: string;
  /** Only the flags given; the others keep their value. */
  features?: Partial<PlatformFeatures>;
  /** Both or neither: a new login negotiates again. */
  credentials?: { username: string; password: string };
}
