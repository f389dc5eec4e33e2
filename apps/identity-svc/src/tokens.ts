/** The projection of the `account` streams into AccountReadModel. */
export const ACCOUNT_PROJECTION = Symbol('ACCOUNT_PROJECTION');
/** The projection of the `iam2vid` streams into IAM2VirtualIDReadModel. */
export const IAM2_VIRTUAL_ID_PROJECTION = Symbol('IAM2_VIRTUAL_ID_PROJECTION');
/** The projection of the `accesskey` streams (and account deletions) into AccessKeyReadModel. */
export const ACCESS_KEY_PROJECTION = Symbol('ACCESS_KEY_PROJECTION');
