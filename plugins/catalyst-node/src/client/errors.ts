import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  NotImplementedError,
  ResponseError,
  ServiceUnavailableError,
} from '@backstage/errors';
import type { CatalystIssue } from '@internal/plugin-catalyst-common';

/**
 * The domain issues the catalyst backend attaches to a 400/404/409 (field path, code, message), when
 * it sent them. Callers that show errors per field read them from here.
 *
 * @public
 */
export function catalystIssuesOf(error: unknown): CatalystIssue[] {
  if (error === null || typeof error !== 'object') return [];
  const issues = (error as { issues?: unknown }).issues;
  if (!Array.isArray(issues)) return [];
  return issues.filter(
    (i): i is CatalystIssue =>
      i !== null &&
      typeof i === 'object' &&
      typeof i.code === 'string' &&
      typeof i.message === 'string' &&
      typeof i.path === 'string',
  );
}

/**
 * Turns a failed response into the `@backstage/errors` class of its status, so a scaffolder task
 * fails with the same kind of error (and message) the REST API gave, as the user's own call would.
 */
export async function errorFromResponse(response: Response, what: string): Promise<Error> {
  const responseError = await ResponseError.fromResponse(response);
  const remote = responseError.body?.error;
  const message =
    remote?.message && remote.message !== '<no reason given>'
      ? remote.message
      : `${what}: ${response.status} ${response.statusText}`;
  let error: Error;
  switch (response.status) {
    case 400:
      error = new InputError(message);
      break;
    case 401:
      error = new AuthenticationError(message);
      break;
    case 403:
      error = new NotAllowedError(message);
      break;
    case 404:
      error = new NotFoundError(message);
      break;
    case 409:
      error = new ConflictError(message);
      break;
    case 501:
      error = new NotImplementedError(message);
      break;
    case 503:
      error = new ServiceUnavailableError(message);
      break;
    default:
      return responseError;
  }
  // The response stays reachable as the cause, without "; caused by ResponseError…" in the message
  // that task logs and forms show.
  Object.defineProperty(error, 'cause', {
    value: responseError,
    enumerable: false,
    configurable: true,
    writable: true,
  });
  // From the parsed body: deserializing the cause loses plain-object fields such as `message`.
  const issues = catalystIssuesOf(remote);
  if (issues.length > 0) Object.assign(error, { issues });
  return error;
}
