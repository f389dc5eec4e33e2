/** The identity context's read models: accounts, IAM2 virtual IDs, access keys (which look at their accounts). */
export * from './account.read-model';
export * from './virtual-id.read-model';
export * from './access-key.read-model';
