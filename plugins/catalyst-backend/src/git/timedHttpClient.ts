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

/** Bytes of an error answer's body kept (the rest is read and dropped). */
const MAX_ERROR_BODY = 64 * 1024;

function answer(
  response: Response,
  url: string,
  method: string,
  body: AsyncIterableIterator<Uint8Array>,
): GitHttpResponse {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => {
    headers[key] = value;
  });
  return {
    url: response.url || url,
    method,
    statusCode: response.status,
    statusMessage: response.statusText,
    headers,
    body,
  };
}

export interface TimedHttpClient extends HttpClient {
  /**
   * The first error that cut a response body short since the last call, cleared by the call.
   * isomorphic-git's pkt-line reader turns a body that fails into a body that ended, so a cut-off
   * ref advertisement would read as a repository with no refs; callers check this after each
   * operation and fail it instead.
   */
  takeBodyError(): Error | undefined;
}

/**
 * An isomorphic-git HTTP client (Node's fetch) with two deadlines: one for the host's answer and
 * one between pieces of the body. Either aborts the request, which closes the connection, so a host
 * that accepts a connection and then goes quiet — before answering or halfway through a pack —
 * fails the request instead of holding the repository's queue (every read and write) for as long
 * as the socket stays open.
 */
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
      const signal = request.signal ? AbortSignal.any([request.signal, controller.signal]) : controller.signal;
      const reasonOr = (error: unknown) => (signal.aborted ? signal.reason : error);

      const answerDeadline = setTimeout(failWith(`no answer from the host within ${answerMs} ms`), answerMs);
      let response: Response;
      try {
        response = await fetch(url, { method, headers, body, signal, redirect: 'follow' });
      } catch (error) {
        throw reasonOr(error);
      } finally {
        clearTimeout(answerDeadline);
      }

      const reader = response.body?.getReader();
      /** The body piece by piece, each within `idleMs`; the connection is closed if it fails. */
      const readPiece = async (): Promise<ReadableStreamReadResult<Uint8Array>> => {
        const idle = setTimeout(failWith(`the host sent nothing for ${idleMs} ms in the middle of an answer`), idleMs);
        try {
          return await reader!.read();
        } catch (error) {
          const reason = reasonOr(error);
          bodyError ??= reason instanceof Error ? reason : new Error(String(reason));
          throw reason;
        } finally {
          clearTimeout(idle);
        }
      };

      // isomorphic-git reads the body of an error answer (401 before it asks for credentials, 404,
      // a refused push) only partly or in the background, and a body nobody finishes keeps its
      // connection open. Error answers are small: read them whole here.
      if (reader && response.status !== 200) {
        const parts: Uint8Array[] = [];
        let size = 0;
        for (let next = await readPiece(); !next.done; next = await readPiece()) {
          size += next.value.byteLength;
          if (size <= MAX_ERROR_BODY) parts.push(next.value);
        }
        return answer(
          response,
          url,
          method,
          (async function* whole() {
            yield Buffer.concat(parts);
          })(),
        );
      }

      async function* chunks(): AsyncGenerator<Uint8Array> {
        if (!reader) return;
        try {
          for (;;) {
            const next = await readPiece();
            if (next.done) return;
            yield next.value;
          }
        } finally {
          // Left early (isomorphic-git stops reading on an error): close the connection.
          if (!controller.signal.aborted) await reader.cancel().catch(() => undefined);
        }
      }

      return answer(response, url, method, chunks());
    },
  };
}
