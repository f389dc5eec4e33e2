/** Injection tokens for what has no class of its own. */
export const NATS_CONNECTION = Symbol('NATS_CONNECTION');
export const EVENT_STORE = Symbol('EVENT_STORE');
export const ACCOUNT_PROJECTION = Symbol('ACCOUNT_PROJECTION');
/** The projection of the `iam2vid` streams into IAM2VirtualIDReadModel. */
export const IAM2_VIRTUAL_ID_PROJECTION = Symbol('IAM2_VIRTUAL_ID_PROJECTION');
/** The projection of the `accesskey` streams (and account deletions) into AccessKeyReadModel. */
export const ACCESS_KEY_PROJECTION = Symbol('ACCESS_KEY_PROJECTION');
