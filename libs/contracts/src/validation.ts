import 'reflect-metadata';
import {
  IsBoolean, IsDefined, IsIn, IsInt, IsOptional, IsString, IsArray, Matches, Max, MaxLength, Min, MinLength, IsObject, ArrayNotEmpty,
  ValidateNested, validateSync, type ValidationArguments, type ValidationError,
} from 'class-validator';
import { invalidArgument } from './errors';
import { cacheValidationRules } from './validation-rules-cache';

cacheValidationRules();

/**
 * ZStack's @APIParam, expressed with class-validator so that one DTO class per API describes its
 * fields for every caller (REST through the gateway, or the NATS bus), with ZStack's own texts
 * (ApiMessageParamValidator). DTO classes are named after ZStack's message classes
 * (`APICreateAccountMsg`), which the texts quote.
 */
export interface ApiParamOptions {
  /** `object`: a JSON object built into the request class `shape` and checked by its own @ApiParam fields (an `/api/v1` body). */
  type?: 'string' | 'int' | 'boolean' | 'map' | 'list' | 'object';
  required?: boolean;
  maxLength?: number;
  minLength?: number;
  validValues?: readonly string[];
  validRegex?: RegExp;
  numberRange?: readonly [number, number];
  /** ZStack trims string fields before validation unless told not to (passwords are opaque). */
  noTrim?: boolean;
  /** A list that must not be empty (ZStack's `nonempty`). */
  nonEmpty?: boolean;
  /** A secret (an access key's): a refusal never quotes its value (bus callers send any JSON). */
  secret?: boolean;
  /** With `type: 'object'`: the request class the object is built into (its fields declared with @ApiParam). */
  shape?: new () => object;
  /**
   * With `type: 'object'`: a key the shape does not declare is refused (`unknown field[...]`)
   * instead of ignored: a typo in a security-relevant field must not pass silently.
   */
  refuseUnknown?: boolean;
  /** With `type: 'int'`: a string of decimal digits (a query-string value) is taken as its number. */
  fromString?: boolean;
  /**
   * Texts of our own for this field's refusals instead of ZStack's (the `/api/v1` query and path
   * parameters, whose texts say `query parameter[x]`): `required` when it is missing, `type` when the
   * value is not of the declared type, `invalid` when another rule of these options refuses it.
   */
  messages?: ApiParamMessages;
}

export interface ApiParamMessages {
  required?: string;
  type?: string;
  invalid?: string;
}

const PARAMS_KEY = Symbol('apiParams');
export type ApiParamType = NonNullable<ApiParamOptions['type']>;
export type ApiParamSpec = ApiParamOptions & { name: string; type: ApiParamType };

const msg = (text: (a: ValidationArguments) => string) => ({ message: text });
const field = (a: ValidationArguments) => `field[${a.property}] of message[${a.targetName}]`;
const describe = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

export function ApiParam(options: ApiParamOptions = {}): PropertyDecorator {
  const type = options.type ?? 'string';
  return (target, property) => {
    const specs: ApiParamSpec[] = Reflect.getOwnMetadata(PARAMS_KEY, target) ?? [];
    Reflect.defineMetadata(PARAMS_KEY, [...specs, { ...options, name: String(property), type }], target);
    const apply = (d: PropertyDecorator) => d(target, property);
    // The field's own text when `messages` gives one for this kind of refusal, else ZStack's.
    const says = (kind: keyof ApiParamMessages, zstack: (a: ValidationArguments) => string) => msg((a) => options.messages?.[kind] ?? zstack(a));
    if (options.required) apply(IsDefined(says('required', (a) => `${field(a)} is mandatory, can not be null`)));
    else apply(IsOptional());
    if (type === 'string') {
      apply(IsString(says('type', (a) => (options.secret ? `${field(a)} must be a string` : `${field(a)} must be a string, but ${describe(a.value)} found`))));
    }
    if (type === 'int') apply(IsInt(says('type', (a) => `${field(a)} must be an integer, but ${describe(a.value)} found`)));
    if (type === 'boolean') apply(IsBoolean(says('type', (a) => `${field(a)} must be a boolean, but ${describe(a.value)} found`)));
    if (type === 'map') apply(IsObject(says('type', (a) => `${field(a)} must be a map`)));
    if (type === 'list') apply(IsArray(says('type', (a) => `${field(a)} must be a list`)));
    if (type === 'object') {
      apply(IsObject(msg((a) => `${field(a)} must be a JSON object`)));
      apply(ValidateNested());
    }
    if (options.nonEmpty) apply(ArrayNotEmpty(says('invalid', (a) => `field[${a.property}] must be a nonempty list`)));
    if (options.maxLength !== undefined) {
      apply(MaxLength(options.maxLength, says('invalid', (a) =>
        `${field(a)} exceeds max length of string. expected was <= ${options.maxLength}, actual was ${String(a.value).length}`)));
    }
    if (options.minLength !== undefined) {
      apply(MinLength(options.minLength, says('invalid', (a) =>
        `${field(a)} is shorter than min length of string. expected was >= ${options.minLength}, actual was ${String(a.value).length}`)));
    }
    if (options.validValues) {
      const values = options.validValues;
      apply(IsIn([...values], says('invalid', (a) => `valid value for ${field(a)} are [${values.join(', ')}], but ${describe(a.value)} found`)));
    }
    if (options.validRegex) {
      const regex = options.validRegex;
      apply(Matches(regex, says('invalid', (a) => `${field(a)} doesn't match the pattern ${regex.source}, but ${describe(a.value)} found`)));
    }
    if (options.numberRange) {
      const [lo, hi] = options.numberRange;
      const text = (a: ValidationArguments) => `${field(a)} must be in range of [${lo}, ${hi}], but ${describe(a.value)} found`;
      apply(Min(lo, says('invalid', text)));
      apply(Max(hi, says('invalid', text)));
    }
  };
}

/**
 * The declared fields of a DTO, inherited ones first, in declaration order (for validation, docs and
 * the REST layer's TypeVerifier). Kept per class once asked (every request asks): a class's fields
 * are all declared by the time it can be named.
 */
export function apiParams(dto: new () => object): readonly ApiParamSpec[] {
  let specs = declaredParams.get(dto);
  if (specs === undefined) {
    const all: ApiParamSpec[] = [];
    for (let proto = dto.prototype; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
      all.unshift(...((Reflect.getOwnMetadata(PARAMS_KEY, proto) as ApiParamSpec[] | undefined) ?? []));
    }
    declaredParams.set(dto, (specs = Object.freeze(all)));
  }
  return specs;
}

const declaredParams = new WeakMap<new () => object, readonly ApiParamSpec[]>();

export function apiParamType(dto: new () => object, property: string): ApiParamType | undefined {
  return apiParams(dto).find((p) => p.name === property)?.type;
}

function firstMessage(errors: ValidationError[]): string {
  for (const e of errors) {
    const text = e.constraints ? Object.values(e.constraints)[0] : undefined;
    if (text) return text;
    const nested = e.children && firstMessage(e.children);
    if (nested) return nested;
  }
  return 'invalid argument';
}

/**
 * The DTO of a payload, built from its declared fields only, as ZStack's gson fills a message:
 * - unknown keys are ignored;
 * - a JSON `null` is a field that is not there (ApiMessageParamValidator skips a null optional field
 *   and answers `is mandatory, can not be null` for a mandatory one), so every handler sees
 *   `undefined` and no null ever reaches a decision or an event;
 * - string fields are trimmed unless `noTrim` (APIMessage.validate);
 * - values are taken as they are, never walked: a map or list field holds plain JSON data, whatever
 *   its keys (`constructor`, `__proto__`) or depth;
 * - but an `object` field with a `shape` is built the same way into that class (its declared fields
 *   only, to the depth the classes declare), its unknown keys refused first when `refuseUnknown`; the
 *   texts name a nested field by its path below the message's own field (`features.monitoring` in
 *   the `body` of a request), as the REST caller wrote it;
 * - an `int` field `fromString` takes a string of digits as its number.
 *
 * `path` is where the payload sits: undefined for the message itself, else the dotted prefix of its fields.
 */
function dtoOf<T extends object>(dto: new () => T, payload: Record<string, unknown>, path?: string): T {
  const instance = new dto();
  const fields = instance as Record<string, unknown>;
  for (const spec of apiParams(dto)) {
    if (!Object.hasOwn(payload, spec.name)) continue;
    const value = payload[spec.name];
    if (value === null || value === undefined) continue;
    fields[spec.name] = fieldValue(spec, value, path);
  }
  return instance;
}

const isJsonObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function fieldValue(spec: ApiParamSpec, value: unknown, path: string | undefined): unknown {
  if (spec.type === 'string') return !spec.noTrim && typeof value === 'string' ? value.trim() : value;
  if (spec.type === 'int' && spec.fromString && typeof value === 'string' && /^-?\d{1,16}$/.test(value)) return Number(value);
  if (spec.type === 'object' && spec.shape !== undefined && isJsonObject(value)) {
    const where = path === undefined ? '' : `${path}${spec.name}.`;
    if (spec.refuseUnknown) {
      const known = apiParams(spec.shape).map((p) => p.name);
      const unknown = Object.keys(value).find((key) => !known.includes(key));
      if (unknown !== undefined) {
        throw invalidArgument(`unknown field[${where}${unknown.slice(0, 100)}]; the known fields are [${known.join(', ')}]`);
      }
    }
    return dtoOf(spec.shape, value, where);
  }
  return value;
}

const UNKNOWN_PARAMS_KEY = Symbol('refuseUnknownParams');

/**
 * A request whose payload may carry its declared fields only (our `/api/v1` query parameters are a
 * closed set; a ZStack message ignores unknown keys, as gson does): the first other key is refused
 * before any field is checked, with `text(key, known)` (the key cut to 100 characters).
 */
export function RefuseUnknownParams(text: (key: string, known: readonly string[]) => string): ClassDecorator {
  return (target) => Reflect.defineMetadata(UNKNOWN_PARAMS_KEY, text, target);
}

/**
 * Turns a payload into its DTO (see dtoOf: declared fields only, null as absent, strings trimmed) or
 * throws SYS.1007 with ZStack's text for the first invalid field.
 */
export function validatePayload<T extends object>(dto: new () => T, payload: unknown): T {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw invalidArgument(`the payload of message[${dto.name}] must be a JSON object`);
  }
  const refuseUnknown = Reflect.getMetadata(UNKNOWN_PARAMS_KEY, dto) as ((key: string, known: readonly string[]) => string) | undefined;
  if (refuseUnknown) {
    const known = apiParams(dto).map((p) => p.name);
    const unknown = Object.keys(payload).find((key) => !known.includes(key));
    if (unknown !== undefined) throw invalidArgument(refuseUnknown(unknown.slice(0, 100), known));
  }
  const instance = dtoOf(dto, payload as Record<string, unknown>);
  const errors = validateSync(instance, { whitelist: true, forbidUnknownValues: false, stopAtFirstError: true });
  if (errors.length > 0) throw invalidArgument(firstMessage(errors));
  return instance;
}
