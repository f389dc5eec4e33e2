export * from './nats';
export * from './job-store';
export * from './bus-message';
export * from './bus-server';
export * from './bus-client';
export * from './metadata';
export * from './run-service';
export * from './logger';
