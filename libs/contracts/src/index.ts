export * from './errors';
export * from './bus';
export * from './validation';
export * from './inventory';
export * from './catalog';
export * from './identity/inventories';
export * from './identity/events';
export * from './identity/dto';
