/**
 * The content rules of a preconfiguration template, as baremetal-svc checks them on Add and Update
 * (libs/domain/baremetal/template-params.ts, ZStack's TemplateParamExtractor): run as the operator
 * types, with more detail than the server's one error text. `error` is exactly the server's refusal
 * (or null when it accepts); content-rules.unit.spec.ts checks it against the server's own function.
 *
 * A param is a `{{ name }}` token (spaces inside the braces optional; letters, digits, `_`, `.`, `-`).
 * A name without lowercase letters is common (filled by the platform), without uppercase custom
 * (filled by the operator), of mixed case neither (literal text).
 */

/** What every template must contain (PreconfigurationConstant). */
export const COMMON_PARAMS = ['REPO_URL', 'USERNAME', 'PASSWORD', 'NETWORK_CFGS', 'FORCE_INSTALL', 'PRE_SCRIPTS', 'POST_SCRIPTS'] as const;
/** The one further common param a template may use (ZStack counts: any one extra name passes). */
export const IMAGE_UUID_PARAM = 'IMAGE_UUID';
export const MAX_COMMON_PARAMS = COMMON_PARAMS.length + 1;
export const MAX_CUSTOM_PARAM_LENGTH = 255;

const TOKEN = /\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g;
const isCommon = (name: string) => !/[a-z]/.test(name);
const isCustom = (name: string) => !/[A-Z]/.test(name) && /[a-z]/.test(name);

export interface ContentFindings {
  /** Distinct common params, in order of first appearance. */
  common: string[];
  /** Distinct custom params, in order of first appearance (the inventory's `customParams`). */
  custom: string[];
  /** Tokens of mixed case: neither common nor custom, left as literal text when rendered. */
  literal: string[];
  /** Required common params the content lacks. */
  missingCommon: string[];
  /** Common params other than the seven and IMAGE_UUID (the server accepts one extra, whatever its name). */
  unknownCommon: string[];
  /** Custom params longer than MAX_CUSTOM_PARAM_LENGTH. */
  tooLongCustom: string[];
  /** The server's refusal text for this content (the first rule broken), or null when it accepts it. */
  error: string | null;
}

export function checkTemplateContent(content: string): ContentFindings {
  const common = new Set<string>();
  const custom = new Set<string>();
  const literal = new Set<string>();
  for (const match of content.matchAll(TOKEN)) {
    const name = match[1];
    if (isCommon(name)) common.add(name);
    else if (isCustom(name)) custom.add(name);
    else literal.add(name);
  }
  const known = new Set<string>([...COMMON_PARAMS, IMAGE_UUID_PARAM]);
  const missingCommon = COMMON_PARAMS.filter((p) => !common.has(p));
  const unknownCommon = [...common].filter((p) => !known.has(p));
  const tooLongCustom = [...custom].filter((p) => p.length > MAX_CUSTOM_PARAM_LENGTH);
  let error: string | null = null;
  if (missingCommon.length > 0) error = 'common params missing in template content';
  else if (common.size > MAX_COMMON_PARAMS) error = 'unknown common params exist in template content';
  else if (tooLongCustom.length > 0) error = `custom param ${tooLongCustom[0]} is too long`;
  return {
    common: [...common], custom: [...custom], literal: [...literal], missingCommon, unknownCommon, tooLongCustom, error,
  };
}

/** Every param name of the content a preview can be given a value for (common and custom). */
export const paramsOf = (content: string): string[] => {
  const { common, custom } = checkTemplateContent(content);
  return [...common, ...custom];
};
