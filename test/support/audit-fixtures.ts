export { ADMIN_ACCOUNT_UUID } from '@cp/contracts';

/** A template content that passes §5's rules: the seven common params. */
export const COMMON_PARAMS_FOR_TESTS = ['REPO_URL', 'USERNAME', 'PASSWORD', 'NETWORK_CFGS', 'FORCE_INSTALL', 'PRE_SCRIPTS', 'POST_SCRIPTS']
  .map((p) => `{{ ${p} }}`).join('\n');
