import { createHmac } from 'node:crypto';
import { RESOURCE_UUID } from '../bus';
import type { InventoryDescriptor } from '../inventory';
import { ApiParam } from '../validation';
import { ApiMessage } from '../api-message';

/**
 * Access keys (ZStack's premium/accesskey, §9): an AccessKeyID and a secret per key, at most
 * {@link ACCESS_KEY_QUOTA} per account, used to sign requests (`Authorization: ZStack
 * <AccessKeyID>:<Signature>` with a `Date` header) instead of logging in.
 */
export const ACCESS_KEY_STATES = ['Enabled', 'Disabled'] as const;
export type AccessKeyState = (typeof ACCESS_KEY_STATES)[number];
export const ACCESS_KEY_STATE_EVENTS = ['enable', 'disable'] as const;
/** Keys per account (ZStack's AccessKeyConstant.ACCESSKEY_QUOTA). */
export const ACCESS_KEY_QUOTA = 2;
/** ZStack's AccessKeyConstant: given ids 10..20 characters, secrets 10..40; generated ones are the longest. */
export const ACCESS_KEY_ID_LENGTH = { min: 10, max: 20 } as const;
export const ACCESS_KEY_SECRET_LENGTH = { min: 10, max: 40 } as const;
/** What `type` says of every key created through the API. */
export const ACCESS_KEY_TYPE = 'User';

/**
 * ZStack's AccessKeyInventory, fields in ZStack's order (with its capitalised `AccessKeyID` and
 * `AccessKeySecret`). `AccessKeySecret` is only ever in CreateAccessKey's reply.
 */
export interface AccessKeyInventory {
  uuid: string;
  description?: string;
  accountUuid: string;
  userUuid: string;
  AccessKeyID: string;
  AccessKeySecret?: string;
  state: AccessKeyState;
  type: string;
  createDate: string;
  lastOpDate: string;
}

/**
 * The query schema leaves `AccessKeySecret` out on purpose: no query can filter, sort or project on
 * it (`q=AccessKeySecret=...` is SYS.1007, unknown field).
 */
export const AccessKeyInventoryDescriptor: InventoryDescriptor = {
  className: 'org.zstack.accessKey.AccessKeyInventory',
  fields: {
    uuid: 'string', description: 'string', accountUuid: 'string', userUuid: 'string', AccessKeyID: 'string',
    state: 'string', type: 'string', createDate: 'date', lastOpDate: 'date',
  },
};

// --- events ---------------------------------------------------------------------------------------

/** The secret as stored: AES-256-GCM ciphertext (libs/crypto `Sealed`), AAD = the access key's uuid. */
export interface SealedSecret {
  keyId: string;
  ciphertext: string;
}

/** Access key events, in `accesskey-<uuid>` streams. The secret appears only sealed. */
export type AccessKeyEvent =
  | {
      type: 'AccessKeyCreated';
      data: {
        uuid: string; accountUuid: string; userUuid: string; description?: string; accessKeyId: string;
        secret: SealedSecret; state: AccessKeyState; keyType: string; createDate: string;
      };
    }
  | { type: 'AccessKeyStateChanged'; data: { uuid: string; state: AccessKeyState; lastOpDate: string } }
  | { type: 'AccessKeyDeleted'; data: { uuid: string; deletedAt: string } };

export const ACCESS_KEY_STREAM_CATEGORY = 'accesskey';
export const accessKeyStreamId = (uuid: string) => `${ACCESS_KEY_STREAM_CATEGORY}-${uuid}`;

// --- request DTOs (ZStack's org.zstack.accessKey messages) ------------------------------------------

export class APICreateAccessKeyMsg extends ApiMessage {
  @ApiParam({ required: true, maxLength: 32 }) accountUuid!: string;
  /** Deprecated in ZStack; accepted and ignored (a key acts as its account). */
  @ApiParam({ maxLength: 32 }) userUuid?: string;
  @ApiParam({ maxLength: 2048 }) description?: string;
  @ApiParam({ minLength: ACCESS_KEY_ID_LENGTH.min, maxLength: ACCESS_KEY_ID_LENGTH.max }) AccessKeyID?: string;
  @ApiParam({ minLength: ACCESS_KEY_SECRET_LENGTH.min, maxLength: ACCESS_KEY_SECRET_LENGTH.max, secret: true }) AccessKeySecret?: string;
  @ApiParam({ validRegex: RESOURCE_UUID }) resourceUuid?: string;
  @ApiParam({ type: 'list' }) tagUuids?: string[];
  @ApiParam({ type: 'list' }) systemTags?: string[];
  @ApiParam({ type: 'list' }) userTags?: string[];
}

export class APIDeleteAccessKeyMsg extends ApiMessage {
  @ApiParam({ required: true }) uuid!: string;
  @ApiParam({ validValues: ['Permissive', 'Enforcing'] }) deleteMode?: string;
}

export class APIChangeAccessKeyStateMsg extends ApiMessage {
  @ApiParam({ required: true }) uuid!: string;
  @ApiParam({ required: true, validValues: ACCESS_KEY_STATE_EVENTS }) stateEvent!: string;
  @ApiParam({ type: 'list' }) systemTags?: string[];
  @ApiParam({ type: 'list' }) userTags?: string[];
}

export class APIQueryAccessKeyMsg extends ApiMessage {
  @ApiParam({ type: 'map', required: true }) query!: Record<string, unknown>;
}

// --- request signing ------------------------------------------------------------------------------

/** ZStack's RestConstants.REQUEST_DURATION_MINUTES: how far a signed request's Date may be from now. */
export const SIGNED_REQUEST_MAX_SKEW_MS = 15 * 60_000;

/**
 * What the client signs, as ZStack's SDK (ZSClient.calculateAccessKeySignature) and RestServer do:
 * `METHOD\nDATE\n/v1<path>`, where `/v1<path>` is the request path without `/zstack` and without the
 * query string, percent-decoded (`/v1/accounts`, `/v1/accesskeys/<uuid>/actions`). The DATE is the
 * `Date` header's text exactly as sent.
 */
export const accessKeyStringToSign = (method: string, date: string, path: string): string => `${method}\n${date}\n${path}`;

/** base64(HmacSHA1(secret, stringToSign)): what goes after `ZStack <AccessKeyID>:`. */
export const accessKeySignature = (secret: string, method: string, date: string, path: string): string =>
  createHmac('sha1', Buffer.from(secret, 'utf8')).update(accessKeyStringToSign(method, date, path), 'utf8').digest('base64');

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DATE_TEXT = /^([A-Za-z]{3}), (\d{2}) ([A-Za-z]{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) (\S{1,40})$/;
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1).toLowerCase();

/** A `Date` header for a signed request: `EEE, dd MMM yyyy HH:mm:ss GMT` (RFC 1123, as HTTP dates are). */
export function accessKeyDate(at: Date = new Date()): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[at.getUTCDay()]}, ${two(at.getUTCDate())} ${MONTHS[at.getUTCMonth()]} ${at.getUTCFullYear()} ` +
    `${two(at.getUTCHours())}:${two(at.getUTCMinutes())}:${two(at.getUTCSeconds())} GMT`;
}

/**
 * Parses a signed request's `Date` (`EEE, dd MMM yyyy HH:mm:ss z`, case-insensitive as ZStack's
 * formatter) to epoch milliseconds, or null when it is not one. The zone is `GMT`, `UTC`, `UT`, `Z`,
 * an offset (`+0800`, `+08:00`, `GMT+08:00`), or a region id (`Asia/Shanghai`, what ZStack's Java SDK
 * sends: it formats the zone with `VV` in the JVM's default zone). The day of the week must match the
 * date, as java.time checks.
 */
export function parseAccessKeyDate(text: string | undefined): number | null {
  if (typeof text !== 'string') return null;
  const m = DATE_TEXT.exec(text.trim());
  if (!m) return null;
  const [, dayName, dd, monName, yyyy, hh, mi, ss, zone] = m;
  const month = MONTHS.indexOf(cap(monName));
  const [year, day, hour, minute, second] = [yyyy, dd, hh, mi, ss].map(Number);
  if (month < 0 || hour > 23 || minute > 59 || second > 59) return null;
  const local = Date.UTC(year, month, day, hour, minute, second);
  const check = new Date(local);
  if (check.getUTCDate() !== day || check.getUTCMonth() !== month || DAYS[check.getUTCDay()] !== cap(dayName)) return null;
  const offsetMs = zoneOffsetMs(zone, local);
  return offsetMs === null ? null : local - offsetMs;
}

/** The zone's offset from UTC (ms) at the given wall-clock time (as if UTC), or null for an unknown zone. */
function zoneOffsetMs(zone: string, localAsUtc: number): number | null {
  const upper = zone.toUpperCase();
  if (upper === 'GMT' || upper === 'UTC' || upper === 'UT' || upper === 'Z') return 0;
  const offset = /^(?:GMT|UTC|UT)?([+-])(\d{2}):?(\d{2})?$/.exec(upper);
  if (offset) {
    const [h, mm] = [Number(offset[2]), Number(offset[3] ?? '0')];
    if (h > 18 || mm > 59) return null;
    return (offset[1] === '-' ? -1 : 1) * (h * 60 + mm) * 60_000;
  }
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){1,2}$/.test(zone)) return null;
  const format = regionFormat(zone);
  if (!format) return null;
  // The instant whose wall clock in `zone` reads `localAsUtc`: guess with the offset at the wall
  // time, then correct once (enough around DST changes).
  let instant = localAsUtc - offsetAt(format, localAsUtc);
  instant = localAsUtc - offsetAt(format, instant);
  return localAsUtc - instant;
}

const regionFormats = new Map<string, Intl.DateTimeFormat | null>();

function regionFormat(zone: string): Intl.DateTimeFormat | null {
  if (regionFormats.has(zone)) return regionFormats.get(zone)!;
  let format: Intl.DateTimeFormat | null;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
  } catch {
    format = null;
  }
  // Bounded: the zone text comes from clients. Only real zones are kept once the cache is full.
  if (regionFormats.size < 1000 || format) regionFormats.set(zone, format);
  if (regionFormats.size > 1500) regionFormats.clear();
  return format;
}

function offsetAt(format: Intl.DateTimeFormat, instant: number): number {
  const p: Record<string, number> = {};
  for (const { type, value } of format.formatToParts(instant)) if (type !== 'literal') p[type] = Number(value);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour % 24, p.minute, p.second);
  return wall - Math.floor(instant / 1000) * 1000;
}
