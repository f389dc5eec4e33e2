export * from './nats-server';
export * from './stack-apps';
export * from './children';
export * from './launch';
export * from './nats-cluster';
