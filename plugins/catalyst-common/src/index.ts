/**
 * Catalyst domain core: kinds, naming, Blueprint resolution, composition, policy, status and projection.
 * Pure functions only: no I/O, no clock (callers pass `now`), no Node built-ins.
 *
 * @packageDocumentation
 */

export * from './issues';
export * from './duration';
export * from './policy/rules';
export * from './yaml';
export * from './naming';
export * from './kinds';
export * from './expressions';
export * from './blueprint';
export * from './policy';
export * from './status';
export * from './events';
export * from './projection';
export * from './install';
export * from './lifecycle';
export { sha256Hex, valuesDigest } from './digest/sha256';
export * from './access';
export * from './api';
export * from './catalog/entities';
export * from './scaffolder';
export * from './clusters';
