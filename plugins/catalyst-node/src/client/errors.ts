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
import { catalystErrorDetails } from '@internal/plugin-catalyst-common';

/**
 * The `@backstage/errors` class of a failed answer's status, so a scaffolder task fails with the same
 * kind of error (and message) the REST API gave, as the user's own call would. The response stays
 * reachable as the cause; Catalyst's details (code, environment, issues) are copied onto it.
 *
 * @public
 */
export function typedError(responseError: ResponseError): Error {
  const remote = responseError.body?.error;
  const status = responseError.statusCode;
  const message =
    remote?.message && remote.message !== '<no reason given>'
      ? remote.message
      : `catalyst answered ${status} ${responseError.statusText}`;
  let error: Error;
  switch (status) {
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
  // Not enumerable: task logs and forms show the server's message without "; caused by …".
  Object.defineProperty(error, 'cause', {
    value: responseError,
    enumerable: false,
    configurable: true,
    writable: true,
  });
  // From the parsed body: deserializing the cause loses plain-object fields.
  const details = catalystErrorDetails(remote);
  if (details) Object.assign(error, details);
  return error;
}
