import { ClientRequest, IncomingMessage, request } from 'node:http';

export interface SseEvent {
  id?: string;
  event: string;
  data: string;
}

interface ChangeData {
  environment: string;
  key: string;
  revision: number;
  operation: 'put' | 'delete';
  value: unknown;
}

/**
 * A plain `text/event-stream` client over node:http that mirrors what it receives: per
 * Environment the key → value map a browser tab would hold, the revisions it saw, the last id.
 */
export class TestSseClient {
  readonly events: SseEvent[] = [];
  readonly state = new Map<string, Map<string, unknown>>();
  /** Every change revision received, per Environment, in arrival order. */
  readonly revisions = new Map<string, number[]>();
  lastEventId: string | undefined;
  status = 0;
  ended = false;
  /** The server ended the response body properly (`end`), rather than the connection breaking. */
  completed = false;
  private req: ClientRequest | undefined;
  private res: IncomingMessage | undefined;
  private buffer = '';
  private waiters: Array<() => void> = [];

  static connect(url: string, headers: Record<string, string> = {}): Promise<TestSseClient> {
    const client = new TestSseClient();
    return client.open(url, headers).then(() => client);
  }

  private open(url: string, headers: Record<string, string>): Promise<void> {
    return new Promise((resolve, reject) => {
      this.req = request(url, { headers: { Accept: 'text/event-stream', ...headers } }, res => {
        this.res = res;
        this.status = res.statusCode ?? 0;
        res.setEncoding('utf8');
        res.on('data', chunk => this.receive(chunk));
        res.on('end', () => {
          this.completed = true;
          this.finish();
        });
        res.on('close', () => this.finish());
        resolve();
      });
      this.req.on('error', error => (this.res ? this.finish() : reject(error)));
      this.req.end();
    });
  }

  /** Stops reading from the socket (a slow client); data piles up on the server. */
  pause() {
    this.res?.pause();
  }

  /** Reads again after `pause`. */
  resume() {
    this.res?.resume();
  }

  close() {
    this.req?.destroy();
    this.finish();
  }

  /** Resolves when `predicate` holds, checking after every event. */
  async until(what: string, predicate: () => boolean, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline)
        throw new Error(`SSE client timed out waiting for ${what} (${this.events.length} events)`);
      await new Promise<void>(resolve => {
        const timer = setTimeout(resolve, 100);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  value(environment: string, key: string): unknown {
    return this.state.get(environment)?.get(key);
  }

  named(event: string): SseEvent[] {
    return this.events.filter(e => e.event === event);
  }

  private finish() {
    this.ended = true;
    this.notify();
  }

  private notify() {
    const waiters = this.waiters.splice(0);
    waiters.forEach(w => w());
  }

  private receive(chunk: string) {
    this.buffer += chunk;
    let end = this.buffer.indexOf('\n\n');
    while (end !== -1) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      this.parse(block);
      end = this.buffer.indexOf('\n\n');
    }
    this.notify();
  }

  private parse(block: string) {
    let id: string | undefined;
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'id') id = value;
      else if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length === 0 && id === undefined) return;
    const parsed: SseEvent = { id, event, data: data.join('\n') };
    this.events.push(parsed);
    if (id !== undefined) this.lastEventId = id;
    if (event === 'snapshot') {
      const body = JSON.parse(parsed.data) as { environment: string; entries: Record<string, unknown> };
      this.state.set(body.environment, new Map(Object.entries(body.entries)));
    } else if (event === 'change') {
      const body = JSON.parse(parsed.data) as ChangeData;
      const env = this.state.get(body.environment) ?? new Map<string, unknown>();
      this.state.set(body.environment, env);
      if (body.operation === 'put') env.set(body.key, body.value);
      else env.delete(body.key);
      const seen = this.revisions.get(body.environment) ?? [];
      seen.push(body.revision);
      this.revisions.set(body.environment, seen);
    }
  }
}
