/** A Kubernetes `Status` object, the shape every API error takes. */
export interface StatusObject {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message: string;
  reason: string;
  code: number;
  details?: Record<string, unknown>;
}

export function statusObject(
  code: number,
  reason: string,
  message: string,
  details?: Record<string, unknown>,
): StatusObject {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
}

export const notFoundPath = () => statusObject(404, 'NotFound', 'the server could not find the requested resource', {});

export const badRequest = (message: string) => statusObject(400, 'BadRequest', message);
