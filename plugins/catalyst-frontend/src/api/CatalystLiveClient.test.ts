import { CATALYST_ERROR_CODES, decodeLiveCursor, encodeLiveCursor } from '@internal/plugin-catalyst-common';
import { CatalystLiveClient } from './CatalystLiveClient';
import { LiveConnectionState } from './CatalystLiveApi';

/** One fake `GET /events` response whose body the test writes. */
class FakeStream {
  private queue: string[] = [];
  private waiting:
    | { resolve: (r: { done: boolean; value?: Uint8Array }) => void; reject: (e: unknown) => void }
    | undefined;
  private ended = false;
  private failure: unknown;
  readonly url: string;
  readonly headers: Record<string, string>;

  constructor(url: string, init: RequestInit) {
    this.url = url;
    this.headers = (init.headers ?? {}) as Record<string, string>;
    init.signal?.addEventListener('abort', () =>
      this.fail(Object.assign(new Error('aborted'), { name: 'AbortError' })),
    );
  }

  get environments(): string[] {
    return new URL(this.url).searchParams.getAll('environment');
  }

  /** The per-Environment revisions the request resumes from, read as the server reads them. */
  get cursor(): Record<string, number> | undefined {
    const id = this.headers['Last-Event-ID'];
    if (id === undefined) return undefined;
    const cursor = decodeLiveCursor(id);
    if (!cursor) throw new Error(`the server would not read Last-Event-ID ${id}`);
    return cursor;
  }

  write(text: string) {
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = undefined;
      w.resolve({ done: false, value: new TextEncoder().encode(text) });
    } else this.queue.push(text);
  }

  event(name: string, data: unknown, id?: Record<string, number>) {
    this.write(`${id ? `id: ${encodeLiveCursor(id)}\n` : ''}event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  end() {
    this.ended = true;
    this.flush();
  }

  fail(error: unknown) {
    this.failure = error;
    this.flush();
  }

  private flush() {
    const w = this.waiting;
    if (!w) return;
    this.waiting = undefined;
    if (this.failure) w.reject(this.failure);
    else w.resolve({ done: true });
  }

  response() {
    return {
      ok: true,
      status: 200,
      body: {
        getReader: () => ({
          read: () => {
            const next = this.queue.shift();
            if (next !== undefined) return Promise.resolve({ done: false, value: new TextEncoder().encode(next) });
            if (this.failure) return Promise.reject(this.failure);
            if (this.ended) return Promise.resolve({ done: true });
            return new Promise((resolve, reject) => {
              this.waiting = { resolve, reject };
            });
          },
        }),
      },
    };
  }
}

function setup(responses: Array<(url: string, init: RequestInit) => unknown> = []) {
  const streams: FakeStream[] = [];
  const fetch = jest.fn(async (url: string, init: RequestInit) => {
    const custom = responses.shift();
    if (custom) return custom(url, init);
    const stream = new FakeStream(url, init);
    streams.push(stream);
    return stream.response();
  });
  const client = new CatalystLiveClient({
    discoveryApi: { getBaseUrl: async () => 'http://backend/api/catalyst' },
    fetchApi: { fetch: fetch as unknown as typeof globalThis.fetch },
    heartbeatTimeoutMs: 40_000,
    lingerMs: 5_000,
    retryMs: 1_000,
  });
  const states: LiveConnectionState[] = [];
  client.onConnectionStateChange(s => states.push(s));
  return { client, fetch, streams, states };
}

/** An error answer of `GET /events` with Backstage's error JSON (and what the catalyst API adds to it). */
const errorAnswer = (status: number, error: Record<string, unknown>) => () => ({
  ok: false,
  status,
  statusText: status === 403 ? 'Forbidden' : 'Not Found',
  url: 'http://backend/api/catalyst/events',
  headers: new Map([['content-type', 'application/json']]),
  text: async () => JSON.stringify({ error, response: { statusCode: status } }),
});

/** The server's 404 for `GET /events` when acme-prod may not be read (or does not exist). */
const refusal = errorAnswer(404, {
  name: 'NotFoundError',
  message: 'Environment acme-prod not found',
  code: CATALYST_ERROR_CODES.environmentNotFound,
  environment: 'acme-prod',
});

const app = (name: string, status: string) => ({
  name,
  status,
  reason: '',
  pods: { ready: 0, total: 1 },
  dependsOn: [],
});
const flush = () => jest.advanceTimersByTimeAsync(0);

describe('CatalystLiveClient', () => {
  beforeEach(() => {
    jest.useFakeTimers();
    jest.spyOn(Math, 'random').mockReturnValue(1);
  });
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('multiplexes the Environments of one render on one connection and applies snapshots and changes', async () => {
    const { client, fetch, streams, states } = setup();
    const onDev = jest.fn();
    client.subscribe('acme-dev', onDev);
    client.subscribe('acme-stg', () => {});
    await flush();
    expect(fetch).toHaveBeenCalledTimes(1);
    const [s] = streams;
    expect(s.url.startsWith('http://backend/api/catalyst/events?')).toBe(true);
    expect(s.environments).toEqual(['acme-dev', 'acme-stg']);
    expect(s.headers.Accept).toBe('text/event-stream');
    expect(s.cursor).toBeUndefined();
    expect(client.getConnectionState()).toBe('connecting');

    // both snapshots and `ready` in one chunk: one notification per Environment
    s.write(
      [
        `id: x\nevent: snapshot\ndata: ${JSON.stringify({
          environment: 'acme-dev',
          revision: 7,
          entries: { 'application.site': app('site', 'Installing') },
        })}\n\n`,
        `event: snapshot\ndata: ${JSON.stringify({ environment: 'acme-stg', revision: 3, entries: {} })}\n\n`,
        `event: ready\ndata: {"environments":["acme-dev","acme-stg"],"resumed":[]}\n\n`,
      ].join(''),
    );
    await flush();
    expect(onDev).toHaveBeenCalledTimes(1);
    expect(client.getEnvironment('acme-dev')?.applications.site.status).toBe('Installing');
    expect(client.getEnvironment('acme-stg')?.ready).toBe(true);
    expect(states).toEqual(['connecting', 'live']);

    // an event split across chunks is applied once complete
    const change = `event: change\ndata: ${JSON.stringify({
      environment: 'acme-dev',
      key: 'application.site',
      revision: 8,
      operation: 'put',
      value: app('site', 'Running'),
    })}\n\n`;
    s.write(change.slice(0, 20));
    await flush();
    expect(client.getEnvironment('acme-dev')?.applications.site.status).toBe('Installing');
    s.write(change.slice(20));
    await flush();
    expect(client.getEnvironment('acme-dev')?.applications.site.status).toBe('Running');
    expect(onDev).toHaveBeenCalledTimes(2);

    // a delete removes the Application
    s.event('change', {
      environment: 'acme-dev',
      key: 'application.site',
      revision: 9,
      operation: 'delete',
      value: null,
    });
    await flush();
    expect(client.getEnvironment('acme-dev')?.applications.site).toBeUndefined();
    client.close();
  });

  it('ignores a replayed change whose revision it already holds (older or equal)', async () => {
    const { client, streams } = setup();
    const onDev = jest.fn();
    client.subscribe('acme-dev', onDev);
    await flush();
    const [s] = streams;
    s.event('snapshot', {
      environment: 'acme-dev',
      revision: 7,
      entries: { 'application.site': app('site', 'Running') },
    });
    s.event('ready', { environments: ['acme-dev'], resumed: [] });
    await flush();
    expect(onDev).toHaveBeenCalledTimes(1);
    const before = client.getEnvironment('acme-dev');

    for (const revision of [7, 6]) {
      s.event('change', {
        environment: 'acme-dev',
        key: 'application.site',
        revision,
        operation: 'put',
        value: app('site', 'Failed'),
      });
    }
    await flush();
    expect(client.getEnvironment('acme-dev')).toBe(before);
    expect(client.getEnvironment('acme-dev')?.applications.site.status).toBe('Running');
    expect(onDev).toHaveBeenCalledTimes(1);

    // the next revision applies, and the tab resumes from it
    s.event('change', {
      environment: 'acme-dev',
      key: 'application.site',
      revision: 8,
      operation: 'put',
      value: app('site', 'Degraded'),
    });
    await flush();
    expect(client.getEnvironment('acme-dev')?.applications.site.status).toBe('Degraded');
    expect(onDev).toHaveBeenCalledTimes(2);
    client.close();
  });

  it('ignores frames that do not match the wire contract', async () => {
    const { client, streams } = setup();
    client.subscribe('acme-dev', () => {});
    await flush();
    const [s] = streams;
    s.event('snapshot', { environment: 'acme-dev', revision: 'seven', entries: {} });
    s.event('ready', { environments: 'acme-dev' });
    s.write('event: snapshot\ndata: {not json\n\n');
    await flush();
    expect(client.getEnvironment('acme-dev')?.ready).toBe(false);
    expect(client.getConnectionState()).toBe('connecting');

    s.event('snapshot', {
      environment: 'acme-dev',
      revision: 3,
      entries: { 'application.web': app('web', 'Running') },
    });
    s.event('change', { environment: 'acme-dev', key: 'application.web', revision: 4, operation: 'patch', value: {} });
    s.event('ready', { environments: ['acme-dev'], resumed: [] });
    await flush();
    expect(client.getEnvironment('acme-dev')?.applications.web.status).toBe('Running');
    expect(client.getConnectionState()).toBe('live');
    client.close();
  });

  it('reconnects after the stream ends, resuming every Environment from its last revision', async () => {
    const { client, fetch, streams, states } = setup();
    client.subscribe('acme-dev', () => {});
    client.subscribe('acme-prod', () => {});
    await flush();
    streams[0].event('snapshot', {
      environment: 'acme-dev',
      revision: 12,
      entries: { 'application.site': app('site', 'Installing') },
    });
    streams[0].event('snapshot', { environment: 'acme-prod', revision: 4, entries: {} });
    streams[0].event('ready', { environments: ['acme-dev', 'acme-prod'], resumed: [] });
    streams[0].event('change', {
      environment: 'acme-dev',
      key: 'application.site',
      revision: 13,
      operation: 'put',
      value: app('site', 'Running'),
    });
    streams[0].write('retry: 2000\n\n');
    await flush();
    streams[0].end();
    await flush();
    expect(client.getConnectionState()).toBe('reconnecting');
    // the server's retry hint is the first delay
    await jest.advanceTimersByTimeAsync(1_999);
    expect(fetch).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(streams[1].cursor).toEqual({ 'acme-dev': 13, 'acme-prod': 4 });
    // the state is kept while resuming, and the catch-up applies on top of it
    expect(client.getEnvironment('acme-dev')?.applications.site.status).toBe('Running');
    streams[1].event('change', {
      environment: 'acme-dev',
      key: 'application.site',
      revision: 14,
      operation: 'put',
      value: app('site', 'Degraded'),
    });
    streams[1].event('ready', { environments: ['acme-dev', 'acme-prod'], resumed: ['acme-dev', 'acme-prod'] });
    await flush();
    expect(client.getEnvironment('acme-dev')?.applications.site.status).toBe('Degraded');
    expect(states).toEqual(['connecting', 'live', 'reconnecting', 'live']);
    client.close();
  });

  it('backs off on failed connections, and counts again from the start once live', async () => {
    const { client, fetch, streams } = setup([
      () => Promise.reject(new TypeError('network down')),
      () => Promise.reject(new TypeError('network down')),
    ]);
    client.subscribe('acme-dev', () => {});
    await flush();
    expect(fetch).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(fetch).toHaveBeenCalledTimes(2);
    await jest.advanceTimersByTimeAsync(1_999);
    expect(fetch).toHaveBeenCalledTimes(2);
    await jest.advanceTimersByTimeAsync(1);
    expect(fetch).toHaveBeenCalledTimes(3);
    streams[0].event('ready', { environments: ['acme-dev'], resumed: [] });
    await flush();
    expect(client.getConnectionState()).toBe('live');
    streams[0].end();
    // back to the first delay, not the fourth
    await jest.advanceTimersByTimeAsync(999);
    expect(fetch).toHaveBeenCalledTimes(3);
    await jest.advanceTimersByTimeAsync(1);
    expect(fetch).toHaveBeenCalledTimes(4);
    client.close();
  });

  it('reconnects with the union when a page needs another Environment, snapshotting only the new one', async () => {
    const { client, fetch, streams, states } = setup();
    client.subscribe('acme-dev', () => {});
    await flush();
    streams[0].event('snapshot', {
      environment: 'acme-dev',
      revision: 5,
      entries: { 'application.site': app('site', 'Running') },
    });
    streams[0].event('ready', { environments: ['acme-dev'], resumed: [] });
    await flush();
    client.subscribe('acme-stg', () => {});
    await flush();
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(streams[1].environments).toEqual(['acme-dev', 'acme-stg']);
    expect(streams[1].cursor).toEqual({ 'acme-dev': 5 });
    expect(client.getEnvironment('acme-dev')?.applications.site.status).toBe('Running');
    // a planned switch is not a drop: the indicator stays live
    expect(states).toEqual(['connecting', 'live']);
    client.close();
  });

  it('keeps an Environment no page needs for a while, then drops it from the stream and forgets its state', async () => {
    const { client, fetch, streams } = setup();
    const stopDev = client.subscribe('acme-dev', () => {});
    client.subscribe('acme-stg', () => {});
    await flush();
    streams[0].event('snapshot', { environment: 'acme-dev', revision: 5, entries: {} });
    streams[0].event('snapshot', { environment: 'acme-stg', revision: 2, entries: {} });
    streams[0].event('ready', { environments: ['acme-dev', 'acme-stg'], resumed: [] });
    await flush();
    stopDev();
    await jest.advanceTimersByTimeAsync(4_999);
    expect(fetch).toHaveBeenCalledTimes(1);
    // coming back within the linger time costs nothing
    const again = client.subscribe('acme-dev', () => {});
    await jest.advanceTimersByTimeAsync(10_000);
    expect(fetch).toHaveBeenCalledTimes(1);
    again();
    await jest.advanceTimersByTimeAsync(5_000);
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(streams[1].environments).toEqual(['acme-stg']);
    expect(streams[1].cursor).toEqual({ 'acme-stg': 2 });
    expect(client.getEnvironment('acme-dev')).toBeUndefined();
    client.close();
  });

  it('goes idle and closes the stream when no page needs live status', async () => {
    const { client, streams } = setup();
    const stop = client.subscribe('acme-dev', () => {});
    await flush();
    stop();
    await jest.advanceTimersByTimeAsync(5_000);
    expect(client.getConnectionState()).toBe('idle');
    await expect(streams[0].response().body.getReader().read()).rejects.toThrow('aborted');
  });

  it('reconnects when neither data nor heartbeats arrive', async () => {
    const { client, fetch, streams } = setup();
    client.subscribe('acme-dev', () => {});
    await flush();
    streams[0].write(': heartbeat\n\n');
    await jest.advanceTimersByTimeAsync(39_999);
    expect(fetch).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(client.getConnectionState()).toBe('reconnecting');
    await jest.advanceTimersByTimeAsync(1_000);
    expect(fetch).toHaveBeenCalledTimes(2);
    client.close();
  });

  it('stops asking for an Environment the server refuses and keeps the others live', async () => {
    const { client, fetch, streams } = setup([refusal]);
    const onProd = jest.fn();
    client.subscribe('acme-dev', () => {});
    client.subscribe('acme-prod', onProd);
    await flush();
    await flush();
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(streams[0].environments).toEqual(['acme-dev']);
    expect(client.getEnvironment('acme-prod')?.error).toBe('Environment acme-prod not found');
    expect(onProd).toHaveBeenCalled();
    client.close();
  });

  it('drops an Environment that does not exist (404 environment-not-found) the same way', async () => {
    const missing = errorAnswer(404, {
      name: 'NotFoundError',
      message: 'No Environment acme-uat',
      code: CATALYST_ERROR_CODES.environmentNotFound,
      environment: 'acme-uat',
    });
    const { client, fetch, streams } = setup([missing]);
    client.subscribe('acme-dev', () => {});
    client.subscribe('acme-uat', () => {});
    await flush();
    await flush();
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(streams[0].environments).toEqual(['acme-dev']);
    expect(client.getEnvironment('acme-uat')?.error).toBe('No Environment acme-uat');
    client.close();
  });

  it('reads the refused Environment from the error code, never from the words of the message', async () => {
    // a 403 naming acme-prod in its message but without the catalyst code (a proxy, another
    // plugin): nothing is dropped, the stream is retried as a whole
    const anonymous = errorAnswer(403, {
      name: 'NotAllowedError',
      message: 'Not allowed to read Environment acme-prod',
    });
    // the code, but for an Environment this stream does not carry
    const elsewhere = errorAnswer(404, {
      name: 'NotFoundError',
      message: 'Environment acme-stg not found',
      code: CATALYST_ERROR_CODES.environmentNotFound,
      environment: 'acme-stg',
    });
    const { client, fetch, streams } = setup([anonymous, elsewhere]);
    client.subscribe('acme-dev', () => {});
    client.subscribe('acme-prod', () => {});
    await flush();
    expect(client.getConnectionState()).toBe('reconnecting');
    expect(client.getEnvironment('acme-prod')?.error).toBeUndefined();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(client.getEnvironment('acme-prod')?.error).toBeUndefined();
    await jest.advanceTimersByTimeAsync(2_000);
    expect(fetch).toHaveBeenCalledTimes(3);
    expect(streams[0].environments).toEqual(['acme-dev', 'acme-prod']);
    client.close();
  });

  it('after the server ends a stream because access changed, reconnects and keeps only what it may still read', async () => {
    const responses: Array<(url: string, init: RequestInit) => unknown> = [];
    const { client, fetch, streams } = setup(responses);
    client.subscribe('acme-dev', () => {});
    client.subscribe('acme-prod', () => {});
    await flush();
    streams[0].event(
      'snapshot',
      { environment: 'acme-dev', revision: 4, entries: { 'application.web': app('web', 'Running') } },
      { 'acme-dev': 4 },
    );
    streams[0].event(
      'snapshot',
      { environment: 'acme-prod', revision: 9, entries: {} },
      { 'acme-dev': 4, 'acme-prod': 9 },
    );
    streams[0].event('ready', { environments: ['acme-dev', 'acme-prod'], resumed: [] });
    await flush();
    expect(client.getConnectionState()).toBe('live');

    responses.push(refusal);
    streams[0].event('end', { reason: 'access-changed', detail: 'Not allowed to read Environment acme-prod any more' });
    streams[0].end();
    await flush();
    expect(client.getConnectionState()).toBe('reconnecting');
    await jest.advanceTimersByTimeAsync(2_000);
    await flush();

    expect(fetch).toHaveBeenCalledTimes(3);
    expect(client.getEnvironment('acme-prod')?.error).toBe('Environment acme-prod not found');
    // The last connection asks for acme-dev alone and resumes it where it was.
    expect(streams[1].environments).toEqual(['acme-dev']);
    expect(streams[1].cursor).toEqual({ 'acme-dev': 4 });
    client.close();
  });

  it('replaces the state on a snapshot with reset (the bucket was recreated)', async () => {
    const { client, streams } = setup();
    client.subscribe('acme-dev', () => {});
    await flush();
    streams[0].event('snapshot', {
      environment: 'acme-dev',
      revision: 50,
      entries: { 'application.old': app('old', 'Running') },
    });
    streams[0].event('snapshot', {
      environment: 'acme-dev',
      revision: 2,
      reset: true,
      entries: { 'application.new': app('new', 'Installing') },
    });
    await flush();
    expect(Object.keys(client.getEnvironment('acme-dev')!.applications)).toEqual(['new']);
    // after a reset, lower revisions are current again
    streams[0].event('change', {
      environment: 'acme-dev',
      key: 'application.new',
      revision: 3,
      operation: 'put',
      value: app('new', 'Running'),
    });
    await flush();
    expect(client.getEnvironment('acme-dev')!.applications.new.status).toBe('Running');
    client.close();
  });
});
