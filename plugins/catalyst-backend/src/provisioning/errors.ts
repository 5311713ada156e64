import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { CATALYST_ERROR_CODES, CatalystErrorCode, CatalystIssue } from '@internal/plugin-catalyst-common';

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
  'promotion-mismatch',
]);

export function describeIssues(issues: CatalystIssue[]): string {
  return issues.map(i => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
}

/**
 * Maps domain issues to the HTTP error of the first issue's class, with every issue in the message
 * (field path first), and Catalyst's error details on it: the code clients act on, the issues they
 * render per field, the Environment.
 */
export function issuesToError(issues: CatalystIssue[], prefix?: string, environment?: string): Error {
  const message = `${prefix ? `${prefix}: ` : ''}${describeIssues(issues)}`;
  const codes = issues.map(i => i.code);
  let error: Error;
  let code: CatalystErrorCode;
  if (codes.some(c => NOT_FOUND.has(c))) {
    error = new NotFoundError(message);
    code = CATALYST_ERROR_CODES.notFound;
  } else if (codes.some(c => CONFLICT.has(c))) {
    error = new ConflictError(message);
    code = codes.includes('governed-environment')
      ? CATALYST_ERROR_CODES.governedEnvironment
      : CATALYST_ERROR_CODES.conflict;
  } else {
    error = new InputError(message);
    code = CATALYST_ERROR_CODES.invalidChange;
  }
  return Object.assign(error, { code, issues, ...(environment ? { environment } : {}) });
}
