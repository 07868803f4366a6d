// The node SDK: everything a built-in (or your own TypeScript) protocol is written with.
export type { Body, Input, Output, Params, ParamSpec, Program, ProgramInfo, Protocol, StartInput } from './protocol.js';
export { withDefaults } from './protocol.js';
export * from './outputs.js';
export { createRng, type Rng } from '../engine/prng.js';
export * from './body-fields.js';
