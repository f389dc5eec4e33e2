/**
 * The parameters of a preconfiguration template, as ZStack's TemplateParamExtractor reads them: a
 * parameter is a `{{ name }}` token (spaces inside the braces optional). Names without lowercase
 * letters are "common" params, filled by the platform when it installs a server; names without
 * uppercase letters are "custom" params, filled by the operator. A token of mixed case is neither
 * and stays literal text. A name of digits and `_` only has no letter of either case: it counts as common.
 */

/** What every template must contain (PreconfigurationConstant). */
export const COMMON_PARAMS = ['REPO_URL', 'USERNAME', 'PASSWORD', 'NETWORK_CFGS', 'FORCE_INSTALL', 'PRE_SCRIPTS', 'POST_SCRIPTS'] as const;
/** The one further common param a template may use. */
export const IMAGE_UUID_PARAM = 'IMAGE_UUID';
export const MAX_COMMON_PARAMS = COMMON_PARAMS.length + 1;
export const MAX_CUSTOM_PARAM_LENGTH = 255;

const TOKEN = /\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g;

const isCommon = (name: string) => !/[a-z]/.test(name);
const isCustom = (name: string) => !/[A-Z]/.test(name) && /[a-z]/.test(name);

export interface TemplateParams {
  /** Distinct common params, in order of first appearance. */
  common: string[];
  /** Distinct custom params, in order of first appearance (the inventory's `customParams`). */
  custom: string[];
}

export function extractParams(content: string): TemplateParams {
  const common = new Set<string>();
  const custom = new Set<string>();
  for (const match of content.matchAll(TOKEN)) {
    const name = match[1];
    if (isCommon(name)) common.add(name);
    else if (isCustom(name)) custom.add(name);
  }
  return { common: [...common], custom: [...custom] };
}

/** Distinct tokens of mixed case, in order of first appearance: neither common nor custom, left as literal text when rendered. */
export function literalTokens(content: string): string[] {
  const literal = new Set<string>();
  for (const match of content.matchAll(TOKEN)) {
    const name = match[1];
    if (!isCommon(name) && !isCustom(name)) literal.add(name);
  }
  return [...literal];
}

/**
 * The interceptor's content check: the §5 error text of the first rule broken, or null.
 * Returns the params too, so a caller extracts them once.
 */
export function checkContent(content: string): { error: string } | { params: TemplateParams } {
  const params = extractParams(content);
  const present = new Set(params.common);
  if (!COMMON_PARAMS.every((p) => present.has(p))) return { error: 'common params missing in template content' };
  // ZStack counts, it does not compare names: the seven, plus at most one more (meant for IMAGE_UUID).
  if (params.common.length > MAX_COMMON_PARAMS) return { error: 'unknown common params exist in template content' };
  const tooLong = params.custom.find((p) => p.length > MAX_CUSTOM_PARAM_LENGTH);
  if (tooLong !== undefined) return { error: `custom param ${tooLong} is too long` };
  return { params };
}

export interface Rendered {
  text: string;
  /** The params (common or custom) the content uses that `values` gives no value for, in order of first appearance. */
  missing: string[];
}

/** Replaces each `{{ name }}` that `values` has a value for; the others stay as they are and are listed. */
export function renderTemplate(content: string, values: Readonly<Record<string, string>>): Rendered {
  const missing = new Set<string>();
  const text = content.replace(TOKEN, (token, name: string) => {
    if (!isCommon(name) && !isCustom(name)) return token;
    if (Object.prototype.hasOwnProperty.call(values, name)) return values[name];
    missing.add(name);
    return token;
  });
  return { text, missing: [...missing] };
}
