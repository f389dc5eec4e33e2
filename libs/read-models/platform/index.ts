/** The platform context's read models: platforms. */
export * from './platform.read-model';
