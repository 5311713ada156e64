import { spawn } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** @public */
export interface GitHttpBackendRequest {
  /** `GIT_PROJECT_ROOT`: the directory the repositories are under. */
  projectRoot: string;
  /** `PATH_INFO`: `/<owner>/<repo>.git/<info/refs | git-upload-pack | git-receive-pack>`, already checked. */
  pathInfo: string;
  /** `REMOTE_USER`: who is asking (its presence is what lets http-backend take a push). */
  remoteUser: string;
  /** More of the CGI program's environment: `GIT_CONFIG_*`, hook settings … */
  env?: Record<string, string>;
}

function headerEnd(buf: Buffer): { at: number; length: number } | undefined {
  const crlf = buf.indexOf('\r\n\r\n');
  const lf = buf.indexOf('\n\n');
  if (crlf >= 0 && (lf < 0 || crlf <= lf)) return { at: crlf, length: 4 };
  if (lf >= 0) return { at: lf, length: 2 };
  return undefined;
}

/**
 * Answers one smart-HTTP request with Debian git's `git http-backend`, run as the CGI program it is:
 * the request's method, query, content type, length and encoding (git gzips large negotiations) and
 * protocol version go in as CGI variables, its body on stdin; the program's `Status:` and headers
 * become the answer's, the rest is streamed. Resolves once the answer is complete; rejects — with
 * nothing sent — when git answered nothing at all, so the caller can say why. Authentication and
 * authorization are the caller's, before this. Shared by Catalyst's Git surface and the test Git host.
 *
 * @public
 */
export function serveGitHttpBackend(
  req: IncomingMessage,
  res: ServerResponse,
  request: GitHttpBackendRequest,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://git');
  const header = (name: string) => {
    const value = req.headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  };
  const optional = (name: string, value: string | undefined) => (value ? { [name]: value } : {});
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    GIT_PROJECT_ROOT: request.projectRoot,
    GIT_HTTP_EXPORT_ALL: '1',
    PATH_INFO: request.pathInfo,
    QUERY_STRING: url.search.slice(1),
    REQUEST_METHOD: req.method ?? 'GET',
    CONTENT_TYPE: header('content-type') ?? '',
    ...optional('CONTENT_LENGTH', header('content-length')),
    ...optional('HTTP_CONTENT_ENCODING', header('content-encoding')),
    ...optional('GIT_PROTOCOL', header('git-protocol')),
    REMOTE_USER: request.remoteUser,
    REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
    ...request.env,
  };
  return new Promise<void>((resolve, reject) => {
    const child = spawn('git', ['http-backend'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', d => {
      stderr += String(d);
    });
    let head = Buffer.alloc(0);
    let started = false;
    child.stdout.on('data', (chunk: Buffer) => {
      if (started) {
        res.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const end = headerEnd(head);
      if (!end) return;
      started = true;
      res.statusCode = 200;
      for (const line of head.subarray(0, end.at).toString('latin1').split(/\r?\n/)) {
        const colon = line.indexOf(':');
        if (colon < 0) continue;
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === 'status') res.statusCode = parseInt(value, 10) || 500;
        else res.setHeader(name, value);
      }
      res.write(head.subarray(end.at + end.length));
    });
    child.on('error', reject);
    child.on('close', code => {
      if (!started) {
        reject(new Error(`git http-backend answered nothing (exit ${code}): ${stderr.trim()}`));
        return;
      }
      res.end();
      resolve();
    });
    req.pipe(child.stdin);
    child.stdin.on('error', () => undefined); // git may stop reading early (a refused request)
  });
}
