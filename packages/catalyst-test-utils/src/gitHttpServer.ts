import { spawn } from 'node:child_process';
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
 * it) behind a small CGI bridge on 127.0.0.1, requiring HTTP Basic auth whose password is `token`.
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
    const cgi = spawn('git', ['http-backend'], {
      env: {
        GIT_PROJECT_ROOT: root,
        GIT_HTTP_EXPORT_ALL: '1',
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.slice(1),
        REQUEST_METHOD: req.method ?? 'GET',
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        // a REMOTE_USER makes http-backend accept pushes (receive-pack)
        REMOTE_USER: 'catalyst',
        PATH: process.env.PATH ?? '/usr/bin:/bin',
      },
    });
    req.pipe(cgi.stdin);
    let head = Buffer.alloc(0);
    let headersSent = false;
    cgi.stdout.on('data', (chunk: Buffer) => {
      if (headersSent) {
        res.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      let status = 200;
      for (const line of head.subarray(0, end).toString().split('\r\n')) {
        const i = line.indexOf(':');
        const name = line.slice(0, i).trim();
        const value = line.slice(i + 1).trim();
        if (name.toLowerCase() === 'status') status = parseInt(value, 10);
        else res.setHeader(name, value);
      }
      res.writeHead(status);
      headersSent = true;
      res.write(head.subarray(end + 4));
    });
    cgi.on('close', () => res.end());
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
