import { ValidateBy, type ValidationArguments } from 'class-validator';
import { ApiMessage } from '../api-message';
import { UUID_HEX32 } from '../bus';
import { ApiParam, RefuseUnknownParams } from '../validation';

/**
 * The Audit API's requests (control-plane-api.md, "Audit"). Every parameter is a query-string value
 * (text, taken as given: not trimmed), refused with a text naming it (`query parameter[x]`); audit-svc
 * turns the checked texts into times, log positions and numbers (apps/audit-svc/src/audit-input.ts).
 */

/** The resource types the audit reads, in the order its texts list them (audit-svc maps each to its stream category). */
export const AUDIT_RESOURCE_TYPES = ['Account', 'IAM2VirtualID', 'AccessKey', 'PreconfigurationTemplate', 'Platform', 'Login'] as const;
export type AuditResourceType = (typeof AUDIT_RESOURCE_TYPES)[number];

/** The most events one page holds (`limit`), and what a page holds when `limit` is not given. */
export const AUDIT_PAGE_MAX = 1000;
export const AUDIT_PAGE_DEFAULT = 100;

/** An ISO-8601 time with its zone, to the minute at least (`2026-01-15T08:00:00Z`, `2026-01-15T09:00+01:00`). */
export const AUDIT_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
/** A log position: a decimal number. */
export const AUDIT_POSITION = /^\d{1,19}$/;

const param = (name: string) => `query parameter[${name}]`;
const GIVEN_ONCE = (name: string) => `${param(name)} must be given once, as text`;
const TIME_TEXT = (name: string) => `${param(name)} must be an ISO-8601 time such as 2026-01-15T08:00:00Z`;
const RESOURCE_UUID_TEXT = 'the resource uuid must be 32 lowercase hex digits';

/** A time the calendar has: AUDIT_TIME lets `2026-13-45T00:00:00Z` through. `orPosition`: a log position passes too. */
const IsCalendarTime = (text: string, orPosition = false) => ValidateBy({
  name: 'isCalendarTime',
  validator: {
    validate: (value: unknown) => typeof value === 'string' &&
      ((orPosition && AUDIT_POSITION.test(value)) || !Number.isNaN(new Date(value).getTime())),
    defaultMessage: () => text,
  },
});

/** A decimal text (already matched) whose number lies in `lo..hi`. */
const InRange = (lo: number, hi: number, text: string) => ValidateBy({
  name: 'inRange',
  validator: { validate: (value: unknown) => Number(value) >= lo && Number(value) <= hi, defaultMessage: () => text },
});

/** `to` not before `from` (when `from` is a valid time: otherwise `from`'s own refusal comes first). */
const NotBeforeFrom = (text: string) => ValidateBy({
  name: 'notBeforeFrom',
  validator: {
    validate: (to: unknown, a: ValidationArguments) => {
      const from = (a.object as { from?: unknown }).from;
      if (typeof from !== 'string' || typeof to !== 'string') return true;
      const start = new Date(from).getTime();
      return Number.isNaN(start) || start <= new Date(to).getTime();
    },
    defaultMessage: () => text,
  },
});

const uuidParam = (name: string) =>
  ApiParam({ noTrim: true, validRegex: UUID_HEX32, messages: { type: GIVEN_ONCE(name), invalid: `${param(name)} must be a uuid of 32 lowercase hex digits` } });
const timeParam = (name: string) => ApiParam({ noTrim: true, validRegex: AUDIT_TIME, messages: { type: GIVEN_ONCE(name), invalid: TIME_TEXT(name) } });

/**
 * `GET /api/v1/audit/events`: a page of the log, by position. Declaration order is checking order:
 * an unknown parameter first, then each filter as listed.
 */
@RefuseUnknownParams((key, known) => `unknown query parameter[${key}]; known: ${known.join(', ')}`)
export class QueryAuditEventsMsg extends ApiMessage {
  @uuidParam('resourceUuid') resourceUuid?: string;

  @ApiParam({
    noTrim: true, validValues: AUDIT_RESOURCE_TYPES,
    messages: { type: GIVEN_ONCE('resourceType'), invalid: `${param('resourceType')} must be one of [${AUDIT_RESOURCE_TYPES.join(', ')}]` },
  })
  resourceType?: AuditResourceType;

  @ApiParam({
    noTrim: true, validRegex: /^[A-Za-z][A-Za-z0-9]{0,127}$/,
    messages: { type: GIVEN_ONCE('eventType'), invalid: `${param('eventType')} must be an event type name such as AccountCreated` },
  })
  eventType?: string;

  @uuidParam('accountUuid') accountUuid?: string;

  /** Inclusive, on the events' `occurredAt`. */
  @IsCalendarTime(TIME_TEXT('from'))
  @timeParam('from')
  from?: string;

  /** Inclusive; not before `from`. */
  @NotBeforeFrom(`${param('from')} must not be after [to]`)
  @IsCalendarTime(TIME_TEXT('to'))
  @timeParam('to')
  to?: string;

  /** Exclusive: the `next` of the previous page. */
  @ApiParam({
    noTrim: true, validRegex: AUDIT_POSITION,
    messages: { type: GIVEN_ONCE('after'), invalid: `${param('after')} must be a log position: a decimal number` },
  })
  after?: string;

  @InRange(1, AUDIT_PAGE_MAX, `${param('limit')} must be an integer in 1..${AUDIT_PAGE_MAX}`)
  @ApiParam({
    noTrim: true, validRegex: /^\d{1,4}$/,
    messages: { type: GIVEN_ONCE('limit'), invalid: `${param('limit')} must be an integer in 1..${AUDIT_PAGE_MAX}` },
  })
  limit?: string;
}

/** The `{uuid}` of a resource path. */
const resourceUuid = () => ApiParam({
  required: true, noTrim: true, validRegex: UUID_HEX32,
  messages: { required: RESOURCE_UUID_TEXT, type: RESOURCE_UUID_TEXT, invalid: RESOURCE_UUID_TEXT },
});

/** `GET /api/v1/audit/resources/{uuid}/history`. */
export class GetResourceHistoryMsg extends ApiMessage {
  @resourceUuid() uuid!: string;
}

/** `GET /api/v1/audit/resources/{uuid}?asOf=`: `asOf` is checked before the path's uuid. */
@RefuseUnknownParams((key) => `unknown query parameter[${key}]; known: asOf`)
export class GetResourceAsOfMsg extends ApiMessage {
  /** A log position (inclusive) or an ISO-8601 time. */
  @IsCalendarTime(TIME_TEXT('asOf'), true)
  @ApiParam({
    required: true, noTrim: true, validRegex: new RegExp(`${AUDIT_POSITION.source}|${AUDIT_TIME.source}`),
    messages: {
      required: `${param('asOf')} is mandatory: an ISO-8601 time or a log position`,
      type: `${param('asOf')} must be given once`,
      invalid: TIME_TEXT('asOf'),
    },
  })
  asOf!: string;

  @resourceUuid() uuid!: string;
}
