import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { CatalystIssue } from '@internal/plugin-catalyst-common';

/** Codes that mean "what you asked for does not exist" (404). */
const NOT_FOUND = new Set(['missing-blueprint', 'no-matching-version']);
/** Codes that mean "valid request, but it conflicts with the Environment as it is" (409). */
const CONFLICT = new Set([
  'cycle',
  'dependency-conflict',
  'application-exists',
  'name-conflict',
  'has-dependents',
  'upgrade-blocked',
  'upgrade-not-allowed',
  'downgrade',
  'resolution-unstable',
  'governed-environment',
  'rollback-conflict',
]);

export function describeIssues(issues: CatalystIssue[]): string {
  return issues.map(i => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
}

/**
 * Maps domain issues to the HTTP error of the first issue's class, with every issue in the message
 * (field path first) and as `issues` on the error for clients that render them per field.
 */
export function issuesToError(issues: CatalystIssue[], prefix?: string): Error {
  const message = `${prefix ? `${prefix}: ` : ''}${describeIssues(issues)}`;
  const codes = issues.map(i => i.code);
  let error: Error;
  if (codes.some(c => NOT_FOUND.has(c))) error = new NotFoundError(message);
  else if (codes.some(c => CONFLICT.has(c))) error = new ConflictError(message);
  else error = new InputError(message);
  Object.assign(error, { issues });
  return error;
}
