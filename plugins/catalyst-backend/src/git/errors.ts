/**
 * Git failures with a code, so callers (the provisioning service, the HTTP edge) can retry or map
 * them to a status without parsing messages.
 */
export class GitError extends Error {
  constructor(
    readonly code: 'head-moved' | 'not-a-repository' | 'bad-path' | 'not-found' | 'locked' | 'unreachable',
    message: string,
    readonly data: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'GitError';
  }
}
