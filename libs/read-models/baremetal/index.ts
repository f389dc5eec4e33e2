/** The baremetal context's read models: preconfiguration templates (contents pooled). */
export * from './template.read-model';
export * from './content-pool';
