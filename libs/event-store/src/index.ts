export * from './port';
export * from './in-memory';
export * from './jetstream';
export * from './esdb';
export * from './execute-command';
export * from './projection';
export * from './factory';
export * from './upcasting';
