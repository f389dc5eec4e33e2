/**
 * The content rules of a preconfiguration template, as baremetal-svc checks them on Add and Update:
 * the server's own functions (libs/domain/baremetal/template-params.ts, ZStack's
 * TemplateParamExtractor, pure and bundled here), run as the operator types, with more detail than
 * the server's one error text. `error` is exactly the server's refusal (or null when it accepts).
 *
 * A param is a `{{ name }}` token (spaces inside the braces optional; letters, digits, `_`, `.`, `-`).
 * A name without lowercase letters is common (filled by the platform), without uppercase custom
 * (filled by the operator), of mixed case neither (literal text).
 */

import {
  COMMON_PARAMS, IMAGE_UUID_PARAM, MAX_CUSTOM_PARAM_LENGTH, checkContent, extractParams, literalTokens,
} from '../../../../../libs/domain/baremetal/template-params';

export { COMMON_PARAMS, IMAGE_UUID_PARAM };

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
  const { common, custom } = extractParams(content);
  const known = new Set<string>([...COMMON_PARAMS, IMAGE_UUID_PARAM]);
  const checked = checkContent(content);
  return {
    common,
    custom,
    literal: literalTokens(content),
    missingCommon: COMMON_PARAMS.filter((p) => !common.includes(p)),
    unknownCommon: common.filter((p) => !known.has(p)),
    tooLongCustom: custom.filter((p) => p.length > MAX_CUSTOM_PARAM_LENGTH),
    error: 'error' in checked ? checked.error : null,
  };
}

/** Every param name of the content a preview can be given a value for (common and custom). */
export const paramsOf = (content: string): string[] => {
  const { common, custom } = extractParams(content);
  return [...common, ...custom];
};
