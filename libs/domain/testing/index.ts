/** Test support for the domain's deciders (uses jest's `expect`: import it from specs only). */
export * from './given';
