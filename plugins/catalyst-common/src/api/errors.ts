import type { CatalystIssue } from '../issues';

/**
 * Machine-readable codes on the catalyst API's error answers, so clients act on a code rather than
 * on the words of a message. They travel beside the name and message of Backstage's error JSON
 * (`error.code`, with `error.environment` and `error.issues` where they apply); the HTTP status
 * stays Backstage's (400/401/403/404/409/503).
 *
 * @public
 */
export const CATALYST_ERROR_CODES = {
  /** No credentials, or credentials that are not valid (expired, forged, for another audience). */
  unauthenticated: 'unauthenticated',
  /** The request did not parse (a field is missing, mistyped or out of range); see `issues`. */
  invalidRequest: 'invalid-request',
  /** A domain rule refused the input (invalid values, a cycle, a blocked upgrade …); see `issues`. */
  invalidChange: 'invalid-change',
  /** The Environment does not exist, or the caller may not know that it does. */
  environmentNotFound: 'environment-not-found',
  /** The caller may not do this here. */
  notAllowed: 'not-allowed',
  /** Something named in the path does not exist (Application, Blueprint, version, commit). */
  notFound: 'not-found',
  /** The Environment is governed by an EnvironmentPolicy: the change needs a change request. */
  governedEnvironment: 'governed-environment',
  /** The Environment's repository is not bootstrapped yet (the environment-controller is on it). */
  notBootstrapped: 'not-bootstrapped',
  /** The change conflicts with the Environment as it is (exists, has dependents, …); see `issues`. */
  conflict: 'conflict',
  /** A dependency (NATS, Git host, database) is unavailable; retry later. */
  unavailable: 'unavailable',
} as const;

/** @public */
export type CatalystErrorCode = (typeof CATALYST_ERROR_CODES)[keyof typeof CATALYST_ERROR_CODES];

/** What the catalyst API adds to an error answer. @public */
export interface CatalystErrorDetails {
  code: CatalystErrorCode;
  /** The Environment the error is about, where there is one. */
  environment?: string;
  /** The domain issues, field path first, where the error is about the input. */
  issues?: CatalystIssue[];
}

const KNOWN_CODES = new Set<string>(Object.values(CATALYST_ERROR_CODES));

function detailsOf(candidate: unknown): CatalystErrorDetails | undefined {
  if (candidate === null || typeof candidate !== 'object') return undefined;
  const c = candidate as { code?: unknown; environment?: unknown; issues?: unknown };
  if (typeof c.code !== 'string' || !KNOWN_CODES.has(c.code)) return undefined;
  const issues = Array.isArray(c.issues)
    ? c.issues.filter(
        (i): i is CatalystIssue =>
          i !== null &&
          typeof i === 'object' &&
          typeof (i as CatalystIssue).code === 'string' &&
          typeof (i as CatalystIssue).path === 'string' &&
          typeof (i as CatalystIssue).message === 'string',
      )
    : undefined;
  return {
    code: c.code as CatalystErrorCode,
    ...(typeof c.environment === 'string' ? { environment: c.environment } : {}),
    ...(issues ? { issues } : {}),
  };
}

/**
 * The catalyst details of an error as any client holds it: a thrown error carrying them itself
 * (the node client's), a `ResponseError` whose body carries them (`body.error`), or the parsed
 * error JSON. Undefined when there are none (a proxy's 502, another plugin's error).
 *
 * @public
 */
export function catalystErrorDetails(error: unknown): CatalystErrorDetails | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const e = error as { body?: { error?: unknown }; error?: unknown; cause?: unknown };
  return detailsOf(error) ?? detailsOf(e.body?.error) ?? detailsOf(e.error) ?? detailsOf(e.cause);
}
