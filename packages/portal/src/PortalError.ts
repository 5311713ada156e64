/**
 * A start-up problem the user can fix. The launcher prints its message as one line and exits non-zero,
 * instead of a stack trace: the message must name the thing (path, port, process) and what to do.
 */
export class PortalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PortalError';
  }
}
