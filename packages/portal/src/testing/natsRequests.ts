import { connect } from 'node:net';

/** One NATS connection that sends requests and reads their replies. */
export interface NatsRequests {
  /** Publishes `payload` to `subject` with a reply inbox and resolves with the reply's payload. */
  request(subject: string, payload: unknown): Promise<string>;
  close(): void;
}

/**
 * Speaks just enough of the NATS wire protocol (CONNECT, SUB/UNSUB, PUB with a reply subject, MSG)
 * for tests to use JetStream's API against the launcher's nats-server: this package has no NATS
 * client, and these few lines spare it one. Each request has its own inbox subscription, so replies
 * may come in any order; an `-ERR` fails every open request.
 */
export function openNatsRequests(
  host: string,
  port: number,
  auth?: { user: string; pass: string },
): Promise<NatsRequests> {
  return new Promise((resolvePromise, reject) => {
    const socket = connect({ host, port });
    const waiting = new Map<string, { resolve: (payload: string) => void; reject: (error: Error) => void }>();
    const failAll = (error: Error) => {
      for (const w of waiting.values()) w.reject(error);
      waiting.clear();
    };
    let buffer = Buffer.alloc(0);
    let sid = 0;
    const requests: NatsRequests = {
      request(subject, payload) {
        const body = Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload));
        sid += 1;
        const inbox = `_INBOX.portal-test.${sid}`;
        return new Promise((resolveReply, rejectReply) => {
          waiting.set(String(sid), { resolve: resolveReply, reject: rejectReply });
          socket.write(`SUB ${inbox} ${sid}\r\nUNSUB ${sid} 1\r\nPUB ${subject} ${inbox} ${body.length}\r\n`);
          socket.write(Buffer.concat([body, Buffer.from('\r\n')]));
        });
      },
      close: () => socket.destroy(),
    };
    // Handles every complete protocol line (and MSG payload) in the buffer; keeps a partial one.
    const drain = () => {
      for (;;) {
        const end = buffer.indexOf('\r\n');
        if (end < 0) return;
        const line = buffer.subarray(0, end).toString('utf8');
        if (line.startsWith('MSG ')) {
          // MSG <subject> <sid> [reply-to] <size>
          const fields = line.split(' ');
          const size = Number(fields[fields.length - 1]);
          if (buffer.length < end + 2 + size + 2) return;
          const payload = buffer.subarray(end + 2, end + 2 + size).toString('utf8');
          buffer = buffer.subarray(end + 2 + size + 2);
          waiting.get(fields[2])?.resolve(payload);
          waiting.delete(fields[2]);
        } else {
          buffer = buffer.subarray(end + 2);
          if (line.startsWith('INFO ')) resolvePromise(requests);
          else if (line === 'PING') socket.write('PONG\r\n');
          else if (line.startsWith('-ERR')) failAll(new Error(line));
        }
      }
    };
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      drain();
    });
    socket.once('error', error => {
      reject(error);
      failAll(error);
    });
    socket.write(`CONNECT ${JSON.stringify({ verbose: false, pedantic: false, headers: false, ...auth })}\r\n`);
  });
}

/** A JetStream API request whose reply is JSON; an API error in the reply fails it. */
export async function jetStreamApi<T>(nats: NatsRequests, subject: string, body: unknown = ''): Promise<T> {
  const reply = JSON.parse(await nats.request(subject, body));
  if (reply.error) throw new Error(`${subject}: ${reply.error.description} (${reply.error.err_code})`);
  return reply as T;
}
