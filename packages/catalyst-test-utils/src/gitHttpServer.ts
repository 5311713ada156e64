import { serveGitHttpBackend } from '@internal/plugin-catalyst-node';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { join } from 'node:path';

export interface TestGitHttpServer {
  /** http://127.0.0.1:<port> — repos are `<url>/<org>/<repo>.git`. */
  url: string;
  root: string;
  token: string;
  /** Requests answered 401 so far (no or wrong credentials). */
  unauthorized(): number;
  close(): Promise<void>;
}

/**
 * A smart-HTTP Git host for tests: Debian's `git http-backend` (the real protocol, as Gitea speaks
 * it) behind catalyst-node's CGI bridge (the one the Git surface uses) on 127.0.0.1, requiring HTTP Basic auth whose password is `token`.
 */
export async function startTestGitHttpServer(options: { token?: string } = {}): Promise<TestGitHttpServer> {
  const root = fs.mkdtempSync(join(os.tmpdir(), 'catalyst-githttp-'));
  const token = options.token ?? 'test-token';
  let unauthorized = 0;
  const server = http.createServer((req, res) => {
    const auth = req.headers.authorization ?? '';
    const password = auth.startsWith('Basic ')
      ? Buffer.from(auth.slice(6), 'base64').toString().split(':').slice(1).join(':')
      : '';
    if (password !== token) {
      unauthorized += 1;
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"' });
      res.end('authentication required');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://x');
    // a REMOTE_USER makes http-backend accept pushes (receive-pack)
    serveGitHttpBackend(req, res, {
      projectRoot: root,
      pathInfo: decodeURIComponent(url.pathname),
      remoteUser: 'catalyst',
    }).catch(() => {
      res.statusCode = 502;
      res.end();
    });
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    root,
    token,
    unauthorized: () => unauthorized,
    close: async () => {
      await new Promise<void>(r => server.close(() => r()));
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
