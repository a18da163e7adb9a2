// The public API of seqrun.
export type * from './ast/types.ts';
export type * from './diagnostics/types.ts';
export type * from './bind/types.ts';
export type * from './run/events.ts';
