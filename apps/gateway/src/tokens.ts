export const NATS_CONNECTION = Symbol('NATS_CONNECTION');
export const BUS_CLIENT = Symbol('BUS_CLIENT');
export const JOB_STORE = Symbol('JOB_STORE');
