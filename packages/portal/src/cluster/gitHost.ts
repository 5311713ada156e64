import { spawn } from 'node:child_process';
import { createServer, Server } from 'node:http';

export interface GitHostOptions {
  /** Repos at `<root>/<owner>/<name>.git`, served as `<url>/<owner>/<name>.git`. */
  root: string;
  host: string;
  port: number;
  /** HTTP Basic password every request must carry (Gitea takes a token the same way). */
  token: string;
}

export interface GitHost {
  url: string;
  close(): Promise<void>;
}

/**
 * The topology's Git host: Debian git's smart-HTTP backend (`git http-backend`, the protocol Gitea
 * speaks) behind a CGI bridge, with HTTP Basic auth. It runs inside the launcher: it keeps no state
 * besides the repos on disk, and Git's own ref locking makes the branch the serialization point of
 * concurrent pushes (the loser is refused, and the backend's RepoWriter retries on the new head).
 */
export async function startGitHost(options: GitHostOptions): Promise<GitHost> {
  const server: Server = createServer((req, res) => {
    const auth = req.headers.authorization ?? '';
    const password = auth.startsWith('Basic ')
      ? Buffer.from(auth.slice(6), 'base64').toString().split(':').slice(1).join(':')
      : '';
    if (password !== options.token) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"' });
      res.end('authentication required');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://git-host');
    const cgi = spawn('git', ['http-backend'], {
      env: {
        GIT_PROJECT_ROOT: options.root,
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
    cgi.stdin.on('error', () => {});
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
    cgi.on('error', () => {
      if (!headersSent) res.writeHead(500);
      res.end();
    });
    cgi.on('close', () => {
      if (!headersSent) res.writeHead(502);
      res.end();
    });
  });
  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolvePromise());
  });
  return {
    url: `http://${options.host}:${options.port}`,
    close: () =>
      new Promise<void>(resolvePromise => {
        server.closeAllConnections();
        server.close(() => resolvePromise());
      }),
  };
}
