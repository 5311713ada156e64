import { connect } from 'node:net';
import { request } from 'node:http';

/** Polls `probe` until it returns true, the deadline passes, or `signal` aborts. */
export async function waitFor(
  probe: () => Promise<boolean>,
  options: { timeoutMs: number; intervalMs?: number; signal?: AbortSignal },
): Promise<boolean> {
  const deadline = Date.now() + options.timeoutMs;
  while (Date.now() < deadline) {
    if (options.signal?.aborted) return false;
    if (await probe().catch(() => false)) return true;
    await new Promise(r => setTimeout(r, options.intervalMs ?? 100));
  }
  return false;
}

/** True when host:port accepts a TCP connection and sends a first line starting with `greeting`. */
export function tcpGreets(host: string, port: number, greeting: string): Promise<boolean> {
  return new Promise(resolvePromise => {
    const socket = connect({ host, port });
    let data = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolvePromise(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.on('data', chunk => {
      data += chunk.toString('utf8');
      if (data.includes('\n')) done(data.startsWith(greeting));
    });
    socket.on('error', () => done(false));
  });
}

/** True when GET url answers with the expected status. */
export function httpAnswers(url: string, status = 200): Promise<boolean> {
  return new Promise(resolvePromise => {
    const req = request(url, { method: 'GET', timeout: 2000 }, res => {
      res.resume();
      resolvePromise(res.statusCode === status);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolvePromise(false));
    req.end();
  });
}

/** True when host:port accepts a TCP connection (for servers that wait for the client to speak). */
export function tcpAccepts(host: string, port: number): Promise<boolean> {
  return new Promise(resolvePromise => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolvePromise(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.on('connect', () => done(true));
    socket.on('error', () => done(false));
  });
}
