/** What every read model of one kind of aggregate shares: its rows, their indexes, apply, snapshot and restore. */
export * from './aggregate-rows';
