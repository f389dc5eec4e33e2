import { isIP } from 'node:net';
import { ValidateBy } from 'class-validator';
import { ApiMessage } from '../api-message';
import { ApiParam } from '../validation';
import {
  PLATFORM_HEALTH_STATUSES, PLATFORM_PRODUCT_TYPES, PLATFORM_SCOPES, PLATFORM_STATUSES,
  type PlatformHealthStatus, type PlatformProductType, type PlatformScope, type PlatformStatus,
} from './platforms';

/**
 * The Platform API's requests (control-plane-api.md, "Platforms"), validated by the bus pipeline
 * like every other request (validatePayload). A JSON body is the request class under `body`, built
 * field by field: an unknown field is refused (a typo in a security-relevant field must not pass
 * silently), a wrong one is SYS.1007 naming it and the rule. What depends on several fields or on
 * the stored platform (scope and region, a credential's two halves) is the handler's.
 */

/** RFC 1123 host names: labels of letters, digits and '-', dots between, 253 characters at most. */
const HOST_NAME = /^(?=.{1,253}$)([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

/** `[2001:db8::1]` (as in a URL) is the address `2001:db8::1`; anything else is as given. */
export const unbracketed = (host: string): string => (host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host);

/** An IPv4 or IPv6 address (maybe in brackets) or a DNS name. */
export const isHost = (host: string): boolean => isIP(unbracketed(host)) !== 0 || HOST_NAME.test(host);

/** A platform's host: an IPv4 or IPv6 address or a DNS name (after @ApiParam's string rules). */
function IsHost(): PropertyDecorator {
  return ValidateBy({
    name: 'isHost',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && isHost(value),
      defaultMessage: (a) => `field[${a?.property}] of message[${a?.targetName}] must be an IPv4 or IPv6 address or a DNS name`,
    },
  });
}

/** The feature flags of a platform: each one given is set, the others keep their value (on create: their defaults). */
export class PlatformFeaturesBody {
  @ApiParam({ type: 'boolean' }) syncResource?: boolean;
  @ApiParam({ type: 'boolean' }) monitoring?: boolean;
  @ApiParam({ type: 'boolean' }) logCollection?: boolean;
}

/** POST /platforms: the platform to connect; `scope` global by default, `useTls` by default unless zstack. */
export class CreatePlatformBody {
  @ApiParam({ required: true, minLength: 1, maxLength: 255 }) name!: string;
  @ApiParam({ required: true, validValues: PLATFORM_PRODUCT_TYPES }) productType!: PlatformProductType;
  @IsHost() @ApiParam({ required: true, maxLength: 253 }) hostIp!: string;
  @ApiParam({ type: 'int', required: true, numberRange: [1, 65535] }) hostPort!: number;
  @ApiParam({ required: true, minLength: 1, maxLength: 255 }) username!: string;
  @ApiParam({ required: true, minLength: 1, maxLength: 2048, noTrim: true, secret: true }) password!: string;
  @ApiParam({ validValues: PLATFORM_SCOPES }) scope?: PlatformScope;
  /** 32 lowercase hex digits when scope is region, empty when global (the handler's rule: it depends on scope). */
  @ApiParam() regionUuid?: string;
  @ApiParam({ type: 'object', shape: PlatformFeaturesBody, refuseUnknown: true }) features?: PlatformFeaturesBody;
  @ApiParam({ type: 'boolean' }) useTls?: boolean;
}

export class CreatePlatformMsg extends ApiMessage {
  @ApiParam({ type: 'object', required: true, shape: CreatePlatformBody, refuseUnknown: true }) body!: CreatePlatformBody;
}

/** PATCH /platforms/{uuid}: the fields to change; `username` and `password` only together (a new credential). */
export class UpdatePlatformBody {
  @ApiParam({ minLength: 1, maxLength: 255 }) name?: string;
  @IsHost() @ApiParam({ maxLength: 253 }) hostIp?: string;
  @ApiParam({ type: 'int', numberRange: [1, 65535] }) hostPort?: number;
  @ApiParam({ type: 'boolean' }) useTls?: boolean;
  @ApiParam({ type: 'object', shape: PlatformFeaturesBody, refuseUnknown: true }) features?: PlatformFeaturesBody;
  @ApiParam({ validValues: PLATFORM_SCOPES }) scope?: PlatformScope;
  @ApiParam() regionUuid?: string;
  @ApiParam({ maxLength: 255 }) username?: string;
  @ApiParam({ maxLength: 2048, noTrim: true, secret: true }) password?: string;
}

export class UpdatePlatformMsg extends ApiMessage {
  @ApiParam({ required: true }) uuid!: string;
  @ApiParam({ type: 'object', required: true, shape: UpdatePlatformBody, refuseUnknown: true }) body!: UpdatePlatformBody;
}

export class PlatformByUuidMsg extends ApiMessage {
  @ApiParam({ required: true }) uuid!: string;
}

export class DeletePlatformMsg extends PlatformByUuidMsg {}
export class GetPlatformMsg extends PlatformByUuidMsg {}
export class TestPlatformConnectionMsg extends PlatformByUuidMsg {}
export class GetPlatformHealthHistoryMsg extends PlatformByUuidMsg {}

/** POST /platforms/test-connection: any endpoint and key (the endpoint's form is the connector's check). */
export class TestConnectionDetailedBody {
  @ApiParam({ required: true, validValues: PLATFORM_PRODUCT_TYPES }) productType!: PlatformProductType;
  @ApiParam({ required: true, minLength: 1, maxLength: 2048 }) endpoint!: string;
  @ApiParam({ required: true, minLength: 1, maxLength: 1024 }) accessKey!: string;
  @ApiParam({ required: true, minLength: 1, maxLength: 4096, noTrim: true, secret: true }) secretKey!: string;
  /** Verify the endpoint's TLS certificate (default true). */
  @ApiParam({ type: 'boolean' }) verifyTls?: boolean;
}

export class TestConnectionDetailedMsg extends ApiMessage {
  @ApiParam({ type: 'object', required: true, shape: TestConnectionDetailedBody, refuseUnknown: true }) body!: TestConnectionDetailedBody;
}

export class RotatePlatformKeysMsg extends ApiMessage {}

/** GET /platforms: equality filters and a page (limit 1..1000, default 100; offset, default 0); query-string values are text. */
export class ListPlatformsMsg extends ApiMessage {
  @ApiParam() name?: string;
  @ApiParam({ validValues: PLATFORM_PRODUCT_TYPES }) productType?: PlatformProductType;
  @ApiParam({ validValues: PLATFORM_STATUSES }) status?: PlatformStatus;
  @ApiParam({ validValues: PLATFORM_HEALTH_STATUSES }) healthStatus?: PlatformHealthStatus;
  @ApiParam({ validValues: PLATFORM_SCOPES }) scope?: PlatformScope;
  @ApiParam() regionUuid?: string;
  @ApiParam({ type: 'int', fromString: true, numberRange: [1, 1000] }) limit?: number;
  @ApiParam({ type: 'int', fromString: true, numberRange: [0, 1_000_000_000] }) offset?: number;
}
