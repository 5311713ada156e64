import { createServer } from 'node:net';
import { PortalError } from './PortalError';

/**
 * Fails with one clear line when something already listens on host:port. Checked before any child
 * starts, so a busy port never leaves half a portal running.
 */
export async function assertPortFree(host: string, port: number, what: string, envVar: string): Promise<void> {
  await new Promise<void>((resolvePromise, reject) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') {
        reject(
          new PortalError(
            `port ${port} on ${host} (${what}) is already in use; stop the process using it or set ${envVar} to another port`,
          ),
        );
      } else {
        reject(new PortalError(`cannot listen on ${host}:${port} (${what}): ${err.message}`));
      }
    });
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolvePromise()));
  });
}
