import type { CatalystOperation } from './operations';

/**
 * What the operation files share (not exported from the package): the identity function that
 * keeps each entry's query, body and answer types, and the wording of the common permission.
 */
export const op = <Q, B, R>(o: CatalystOperation<Q, B, R>) => o;

export const READ = 'catalyst.read on the Environment or Organization';
