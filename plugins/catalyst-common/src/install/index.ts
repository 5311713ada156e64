export * from './types';
export { resolveInstall, topologicalOrder } from './resolveInstall';
export * from './compose';
export type { JsonObject } from './values';
export { canonicalJson, deepMerge, flattenValues } from './values';
