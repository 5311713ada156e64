import { request } from 'node:http';

/** One frame of Catalyst's live events (catalyst-common `api/liveEvents.ts`) as it came off the wire. */
export interface LiveFrame {
  id?: string;
  event: string;
  data: string;
}

/** What a client folded from its frames: one Environment's read model, by KV key. */
export interface LiveClient {
  frames: LiveFrame[];
  /** The state folded from snapshots and changes, `key → value`. */
  state: Map<string, unknown>;
  /** The revision of the last snapshot or change. */
  revision: number;
  /** Change revisions in arrival order, across reconnects. */
  changeRevisions: number[];
  /** Each connection's `ready` frame: was it a resume (deltas) or a fresh snapshot? */
  readies: Array<{ resumed: string[] }>;
  /** Connections made (1 + reconnects). */
  connections: number;
  close(): void;
}

/**
 * An EventSource as a browser would run it, for tests: connects to `/api/catalyst/events` for one
 * Environment, and when the stream ends (its replica died) reconnects to the same URL — through the
 * proxy, so to whichever replica is up — with `Last-Event-ID`, after `retryMs`. Folds snapshots and
 * changes into `state`.
 */
export function openLiveClient(options: {
  url: string;
  environment: string;
  token: string;
  retryMs?: number;
  /** Hears every frame as it arrives (benchmarks time them). */
  onFrame?: (frame: LiveFrame, data: Record<string, unknown>) => void;
}): LiveClient {
  let closed = false;
  let lastId: string | undefined;
  let current: { destroy(): void } | undefined;
  const client: LiveClient = {
    frames: [],
    state: new Map(),
    revision: 0,
    changeRevisions: [],
    readies: [],
    connections: 0,
    close: () => {
      closed = true;
      current?.destroy();
    },
  };
  const handle = (frame: LiveFrame) => {
    client.frames.push(frame);
    if (frame.id) lastId = frame.id;
    const data = frame.data ? (JSON.parse(frame.data) as Record<string, unknown>) : {};
    if (frame.event === 'snapshot') {
      client.state.clear();
      for (const [k, v] of Object.entries(data.entries as Record<string, unknown>)) client.state.set(k, v);
      client.revision = data.revision as number;
    } else if (frame.event === 'change') {
      if (data.operation === 'put') client.state.set(data.key as string, data.value);
      else client.state.delete(data.key as string);
      client.revision = data.revision as number;
      client.changeRevisions.push(data.revision as number);
    } else if (frame.event === 'ready') {
      client.readies.push({ resumed: data.resumed as string[] });
    }
    options.onFrame?.(frame, data);
  };
  const connect = () => {
    if (closed) return;
    client.connections += 1;
    const url = `${options.url}/api/catalyst/events?environment=${encodeURIComponent(options.environment)}`;
    let ended = false;
    const again = () => {
      if (ended) return;
      ended = true;
      current = undefined;
      if (!closed) setTimeout(connect, options.retryMs ?? 250);
    };
    const req = request(
      url,
      {
        headers: {
          Authorization: `Bearer ${options.token}`,
          Accept: 'text/event-stream',
          ...(lastId ? { 'Last-Event-ID': lastId } : {}),
        },
      },
      res => {
        if (res.statusCode !== 200) {
          res.resume();
          res.on('end', again);
          return;
        }
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          for (;;) {
            const end = buffer.indexOf('\n\n');
            if (end < 0) break;
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const frame: LiveFrame = { event: 'message', data: '' };
            const data: string[] = [];
            for (const line of block.split('\n')) {
              if (line.startsWith('id: ')) frame.id = line.slice(4);
              else if (line.startsWith('event: ')) frame.event = line.slice(7);
              else if (line.startsWith('data: ')) data.push(line.slice(6));
            }
            frame.data = data.join('\n');
            if (frame.event !== 'message' || frame.data) handle(frame);
          }
        });
        res.on('end', again);
        res.on('close', again);
        res.on('error', again);
      },
    );
    req.on('error', again);
    req.end();
    current = req;
  };
  connect();
  return client;
}
