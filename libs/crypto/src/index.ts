export * from './key-ring';
export * from './key-source';
