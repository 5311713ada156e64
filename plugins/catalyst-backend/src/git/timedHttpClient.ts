import type { GitHttpRequest, GitHttpResponse, HttpClient } from 'isomorphic-git';

export interface TimedHttpClientOptions {
  /** A request the host has not started answering (status line and headers) by then fails. */
  answerMs: number;
  /** A response body that delivers nothing for this long fails. Default: `answerMs`. */
  idleMs?: number;
}

async function collect(body: AsyncIterableIterator<Uint8Array> | undefined): Promise<Buffer | undefined> {
  if (!body) return undefined;
  const parts: Uint8Array[] = [];
  for await (const part of body) parts.push(part);
  return Buffer.concat(parts);
}

/**
 * An isomorphic-git HTTP client (Node's fetch) with two deadlines: one for the host's answer and
 * one between pieces of the body. Either aborts the request, which closes the connection, so a host
 * that accepts a connection and then goes quiet — before answering or halfway through a pack —
 * fails the request instead of holding the repository's queue (every read and write) for as long
 * as the socket stays open.
 */
export interface TimedHttpClient extends HttpClient {
  /**
   * The first error that cut a response body short since the last call, cleared by the call.
   * isomorphic-git's pkt-line reader turns a body that fails into a body that ended, so a cut-off
   * ref advertisement would read as a repository with no refs; callers check this after each
   * operation and fail it instead.
   */
  takeBodyError(): Error | undefined;
}

export function timedHttpClient(options: TimedHttpClientOptions): TimedHttpClient {
  const { answerMs } = options;
  const idleMs = options.idleMs ?? answerMs;
  let bodyError: Error | undefined;
  return {
    takeBodyError() {
      const error = bodyError;
      bodyError = undefined;
      return error;
    },
    async request(request: GitHttpRequest): Promise<GitHttpResponse> {
      const { url, method = 'GET', headers = {} } = request;
      // Pushes send a pack built in memory anyway; fetch needs a whole body or a web stream.
      const body = await collect(request.body);
      const controller = new AbortController();
      const failWith = (message: string) => () => controller.abort(new Error(message));
      const reasonOr = (error: unknown) => (controller.signal.aborted ? controller.signal.reason : error);
      request.signal?.addEventListener('abort', () => controller.abort(request.signal!.reason), { once: true });

      const answer = setTimeout(failWith(`no answer from the host within ${answerMs} ms`), answerMs);
      let response: Response;
      try {
        response = await fetch(url, { method, headers, body, signal: controller.signal, redirect: 'follow' });
      } catch (error) {
        throw reasonOr(error);
      } finally {
        clearTimeout(answer);
      }

      const reader = response.body?.getReader();
      async function* chunks(): AsyncGenerator<Uint8Array> {
        if (!reader) return;
        try {
          for (;;) {
            const idle = setTimeout(failWith(`the host sent nothing for ${idleMs} ms in the middle of an answer`), idleMs);
            let next: ReadableStreamReadResult<Uint8Array>;
            try {
              next = await reader.read();
            } catch (error) {
              const reason = reasonOr(error);
              bodyError ??= reason instanceof Error ? reason : new Error(String(reason));
              throw reason;
            } finally {
              clearTimeout(idle);
            }
            if (next.done) return;
            yield next.value;
          }
        } finally {
          // Left early (isomorphic-git stops reading on an error): close the connection.
          if (!controller.signal.aborted) await reader.cancel().catch(() => undefined);
        }
      }

      const responseHeaders: Record<string, string> = {};
      response.headers.forEach((value, key) => {
        responseHeaders[key] = value;
      });
      return {
        url: response.url || url,
        method,
        statusCode: response.status,
        statusMessage: response.statusText,
        headers: responseHeaders,
        body: chunks(),
      };
    },
  };
}
