import {
  UUID_HEX32, invalidArgument, unbracketed,
  type CreatePlatformBody, type PlatformFeatures, type PlatformFeaturesBody, type PlatformProductType, type PlatformScope,
  type TestConnectionDetailedBody, type UpdatePlatformBody,
} from '@cp/contracts';
import type { CreatePlatformInput, UpdatePlatformInput } from '@cp/domain/platform';

/**
 * What the handlers make of a validated request body (the request classes of
 * libs/contracts/src/platform/requests.ts have checked every field): the defaults, and the rules
 * that span fields or the stored platform. Pure: no I/O, nothing about who calls.
 */

export interface TestConnectionInput {
  productType: PlatformProductType;
  endpoint: string;
  accessKey: string;
  secretKey: string;
  verifyTls: boolean;
}

const DEFAULT_FEATURES: PlatformFeatures = { syncResource: true, monitoring: true, logCollection: false };

/** The entries that are there (a request object's absent fields may be own properties holding undefined). */
const given = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

function featuresOf(features: PlatformFeaturesBody | undefined): Partial<PlatformFeatures> | undefined {
  return features && given({ syncResource: features.syncResource, monitoring: features.monitoring, logCollection: features.logCollection });
}

/**
 * `scope` and `regionUuid` together, each maybe given, against the platform's current ones: a region
 * needs a 32-hex regionUuid, global scope has none (""). Undefined when neither is given.
 */
export function scopeOf(
  body: { scope?: PlatformScope; regionUuid?: string }, current?: { scope: PlatformScope; regionUuid: string },
): { scope: PlatformScope; regionUuid: string } | undefined {
  const { scope, regionUuid } = body;
  if (scope === undefined && regionUuid === undefined) return undefined;
  const nextScope = scope ?? current?.scope ?? 'global';
  const nextRegion = regionUuid ?? (scope === undefined ? current?.regionUuid : undefined) ?? '';
  if (nextScope === 'region' && !UUID_HEX32.test(nextRegion)) {
    throw invalidArgument('field[regionUuid] must be a uuid of 32 lowercase hex digits when scope is region');
  }
  if (nextScope === 'global' && nextRegion !== '') throw invalidArgument('field[regionUuid] must be empty when scope is global');
  return { scope: nextScope, regionUuid: nextRegion };
}

export function createInput(body: CreatePlatformBody): CreatePlatformInput {
  const scope = scopeOf(body) ?? { scope: 'global' as const, regionUuid: '' };
  return {
    name: body.name,
    productType: body.productType,
    hostIp: unbracketed(body.hostIp),
    hostPort: body.hostPort,
    username: body.username,
    password: body.password,
    ...scope,
    features: { ...DEFAULT_FEATURES, ...featuresOf(body.features) },
    useTls: body.useTls ?? body.productType !== 'zstack',
  };
}

/** The fields given (none: an empty object); a new credential only with both its halves. */
export function updateInput(body: UpdatePlatformBody, current: { scope: PlatformScope; regionUuid: string }): UpdatePlatformInput {
  const { username, password } = body;
  if ((username === undefined) !== (password === undefined)) {
    throw invalidArgument('fields[username, password] go together: a new credential needs both');
  }
  return given<UpdatePlatformInput>({
    name: body.name,
    hostIp: body.hostIp === undefined ? undefined : unbracketed(body.hostIp),
    hostPort: body.hostPort,
    useTls: body.useTls,
    features: featuresOf(body.features),
    ...scopeOf(body, current),
    credentials: username !== undefined ? { username, password: password! } : undefined,
  });
}

export function testConnectionInput(body: TestConnectionDetailedBody): TestConnectionInput {
  return {
    productType: body.productType, endpoint: body.endpoint, accessKey: body.accessKey, secretKey: body.secretKey,
    verifyTls: body.verifyTls ?? true,
  };
}
