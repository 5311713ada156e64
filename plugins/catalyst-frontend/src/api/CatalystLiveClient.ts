import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  CATALYST_ERROR_CODES,
  catalystErrorDetails,
  encodeLiveCursor,
  LIVE_EVENTS,
  LiveCursor,
  liveChangeFrameSchema,
  liveReadyFrameSchema,
  liveSnapshotFrameSchema,
} from '@internal/plugin-catalyst-common';
import { createSseDecoder, SseEvent } from '../live/sseDecoder';
import { applyLiveEntries, emptyLiveEnvironment, LiveEnvironment } from '../live/liveEnvironment';
import { CatalystLiveApi, LiveConnectionState } from './CatalystLiveApi';

/** Timings of the live connection; tests shorten them. */
export interface CatalystLiveClientOptions {
  discoveryApi: DiscoveryApi;
  fetchApi: FetchApi;
  /**
   * No byte for this long means the connection is dead even if the socket says otherwise; the
   * server sends a heartbeat every 15 s.
   */
  heartbeatTimeoutMs?: number;
  /** An Environment no page needs stays on the stream this long, so navigating back costs nothing. */
  lingerMs?: number;
  /** First reconnect delay when the server gave no `retry:`; doubles per failed attempt. */
  retryMs?: number;
  /** Upper bound of the reconnect delay. */
  maxRetryMs?: number;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Answers of `GET /events` that refuse one Environment rather than the whole stream. */
const REFUSALS: ReadonlySet<string> = new Set([CATALYST_ERROR_CODES.environmentNotFound]);

/** The Environment a refusal of `GET /events` names (its error JSON carries the code and the name). */
function refusedEnvironment(error: unknown, streamed: readonly string[]): string | undefined {
  const details = catalystErrorDetails(error);
  if (!details || !REFUSALS.has(details.code) || !details.environment) return undefined;
  return streamed.includes(details.environment) ? details.environment : undefined;
}

/**
 * The read side's live stream as one connection per browser tab (DESIGN §6): `GET /events` with
 * every Environment any open page needs. The Backstage token goes in the Authorization header, which
 * EventSource cannot send, so the stream is read with fetch. Resuming sends `Last-Event-ID` built from
 * the revision of every Environment this tab holds, so a reconnect (or a change of the Environment
 * set) resumes each one exactly where it stopped; Environments without state get a snapshot.
 */
export class CatalystLiveClient implements CatalystLiveApi {
  private readonly listeners = new Map<string, Set<() => void>>();
  private readonly states = new Map<string, LiveEnvironment>();
  private readonly revisions = new Map<string, number>();
  /** Environments that must not be asked for again (the server refused them), with the reason. */
  private readonly refused = new Map<string, string>();
  private readonly lingering = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly connectionListeners = new Set<(state: LiveConnectionState) => void>();
  private state: LiveConnectionState = 'idle';
  private streamed: string[] = [];
  private connection: AbortController | undefined;
  private reconcileScheduled = false;
  private serverRetryMs: number | undefined;
  private readonly options: Required<Omit<CatalystLiveClientOptions, 'discoveryApi' | 'fetchApi'>>;

  constructor(private readonly deps: CatalystLiveClientOptions) {
    this.options = {
      heartbeatTimeoutMs: deps.heartbeatTimeoutMs ?? 45_000,
      lingerMs: deps.lingerMs ?? 10_000,
      retryMs: deps.retryMs ?? 1_000,
      maxRetryMs: deps.maxRetryMs ?? 30_000,
    };
  }

  subscribe(environment: string, onChange: () => void): () => void {
    let set = this.listeners.get(environment);
    if (!set) {
      set = new Set();
      this.listeners.set(environment, set);
    }
    set.add(onChange);
    const linger = this.lingering.get(environment);
    if (linger !== undefined) {
      clearTimeout(linger);
      this.lingering.delete(environment);
    }
    if (!this.states.has(environment)) this.states.set(environment, this.initialState(environment));
    this.scheduleReconcile();
    return () => {
      set!.delete(onChange);
      if (set!.size > 0) return;
      this.listeners.delete(environment);
      this.lingering.set(
        environment,
        setTimeout(() => {
          this.lingering.delete(environment);
          this.scheduleReconcile();
        }, this.options.lingerMs),
      );
    };
  }

  getEnvironment(environment: string): LiveEnvironment | undefined {
    return this.states.get(environment);
  }

  getConnectionState(): LiveConnectionState {
    return this.state;
  }

  onConnectionStateChange(listener: (state: LiveConnectionState) => void): () => void {
    this.connectionListeners.add(listener);
    return () => this.connectionListeners.delete(listener);
  }

  /** Ends the stream (tests; the app keeps one client for the tab's lifetime). */
  close(): void {
    this.connection?.abort();
    this.connection = undefined;
    this.lingering.forEach(t => clearTimeout(t));
    this.lingering.clear();
    this.listeners.clear();
    this.streamed = [];
    this.setState('idle');
  }

  private initialState(environment: string): LiveEnvironment {
    const refusal = this.refused.get(environment);
    return refusal ? { ...emptyLiveEnvironment(environment), error: refusal } : emptyLiveEnvironment(environment);
  }

  private setState(state: LiveConnectionState) {
    if (this.state === state) return;
    this.state = state;
    [...this.connectionListeners].forEach(l => l(state));
  }

  private notify(environments: Iterable<string>) {
    for (const env of environments) [...(this.listeners.get(env) ?? [])].forEach(l => l());
  }

  /** Batches the subscribes of one render into one connection change. */
  private scheduleReconcile() {
    if (this.reconcileScheduled) return;
    this.reconcileScheduled = true;
    Promise.resolve().then(() => {
      this.reconcileScheduled = false;
      this.reconcile();
    });
  }

  private wanted(): string[] {
    return [...new Set([...this.listeners.keys(), ...this.lingering.keys()])].filter(e => !this.refused.has(e)).sort();
  }

  private reconcile() {
    const wanted = this.wanted();
    // Environments that left the stream lose their state: coming back means a fresh snapshot.
    for (const env of [...this.states.keys()]) {
      if (!wanted.includes(env) && !this.listeners.has(env)) {
        this.states.delete(env);
        this.revisions.delete(env);
      }
    }
    if (wanted.join(',') === this.streamed.join(',') && this.connection) return;
    this.connection?.abort();
    this.connection = undefined;
    this.streamed = wanted;
    if (wanted.length === 0) {
      this.setState('idle');
      return;
    }
    if (this.state === 'idle') this.setState('connecting');
    const controller = new AbortController();
    this.connection = controller;
    this.run(wanted, controller.signal).catch(() => undefined);
  }

  private lastEventId(environments: readonly string[]): string | undefined {
    const cursor: LiveCursor = {};
    for (const env of environments) {
      const revision = this.revisions.get(env);
      if (revision !== undefined && revision > 0) cursor[env] = revision;
    }
    return Object.keys(cursor).length ? encodeLiveCursor(cursor) : undefined;
  }

  private async run(environments: string[], signal: AbortSignal): Promise<void> {
    const backoff = { attempt: 0 };
    const onReady = () => {
      backoff.attempt = 0;
    };
    while (!signal.aborted) {
      let failure: Error | undefined;
      try {
        await this.stream(environments, signal, onReady);
      } catch (error) {
        failure = error as Error;
      }
      if (signal.aborted) return;
      const refused = refusedEnvironment(failure, environments);
      if (refused) {
        // only this Environment is refused; the others reconnect without it at once. The
        // server's own words ("Not allowed to read Environment acme-prod") are in the cause.
        this.refuse(refused, (ResponseError.is(failure) && failure.cause.message) || failure!.message);
        return;
      }
      this.setState('reconnecting');
      backoff.attempt += 1;
      await this.sleep(this.retryDelay(backoff.attempt), signal);
    }
  }

  private refuse(environment: string, reason: string) {
    this.refused.set(environment, reason);
    this.states.set(environment, { ...emptyLiveEnvironment(environment), error: reason });
    this.revisions.delete(environment);
    this.connection = undefined;
    this.streamed = [];
    this.notify([environment]);
    this.scheduleReconcile();
  }

  private retryDelay(attempt: number): number {
    const base = this.serverRetryMs ?? this.options.retryMs;
    const exp = Math.min(this.options.maxRetryMs, base * 2 ** Math.max(0, attempt - 1));
    // jitter, so the tabs of many users do not reconnect in lockstep after a server restart
    return Math.round(exp / 2 + Math.random() * (exp / 2));
  }

  private sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise(resolve => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    });
  }

  /** One connection: resolves when the server ends the stream, rejects on errors. */
  private async stream(environments: string[], outer: AbortSignal, onReady: () => void): Promise<void> {
    const attempt = new AbortController();
    const abort = () => attempt.abort();
    outer.addEventListener('abort', abort, { once: true });
    let watchdog: ReturnType<typeof setTimeout> | undefined;
    const armWatchdog = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(abort, this.options.heartbeatTimeoutMs);
    };
    try {
      const base = await this.deps.discoveryApi.getBaseUrl('catalyst');
      const query = new URLSearchParams(environments.map(e => ['environment', e]));
      const lastEventId = this.lastEventId(environments);
      armWatchdog();
      const response = await this.deps.fetchApi.fetch(`${base}/events?${query}`, {
        headers: { Accept: 'text/event-stream', ...(lastEventId ? { 'Last-Event-ID': lastEventId } : {}) },
        signal: attempt.signal,
      });
      if (!response.ok) throw await ResponseError.fromResponse(response);
      if (!response.body) throw new Error('The live status response has no body');
      const reader = response.body.getReader();
      const dirty = new Set<string>();
      const decoder = createSseDecoder({
        onEvent: event => this.handle(event, dirty, onReady),
        onRetry: ms => {
          this.serverRetryMs = ms;
        },
      });
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        armWatchdog();
        decoder.push(value);
        // one notification per chunk, however many events it carried
        this.notify(dirty);
        dirty.clear();
      }
      decoder.end();
    } finally {
      clearTimeout(watchdog);
      outer.removeEventListener('abort', abort);
    }
  }

  /** Applies one frame; a frame that does not match the wire contract changes nothing. */
  private handle(event: SseEvent, dirty: Set<string>, onReady: () => void) {
    const data = parseJson(event.data);
    if (event.event === LIVE_EVENTS.snapshot) {
      const frame = liveSnapshotFrameSchema.safeParse(data);
      if (!frame.success) return;
      const s = frame.data;
      const current = this.states.get(s.environment) ?? emptyLiveEnvironment(s.environment);
      this.states.set(s.environment, applyLiveEntries(current, { put: s.entries, delete: [] }, true));
      this.revisions.set(s.environment, s.revision);
      dirty.add(s.environment);
    } else if (event.event === LIVE_EVENTS.change) {
      const frame = liveChangeFrameSchema.safeParse(data);
      if (!frame.success) return;
      const c = frame.data;
      const current = this.states.get(c.environment);
      // a replay of what this tab already holds (a resume overlapping the last connection)
      if (!current || c.revision <= (this.revisions.get(c.environment) ?? 0)) return;
      const changes =
        c.operation === 'delete' ? { put: {}, delete: [c.key] } : { put: { [c.key]: c.value }, delete: [] };
      const next = applyLiveEntries(current, changes);
      this.revisions.set(c.environment, c.revision);
      if (next !== current) {
        this.states.set(c.environment, next);
        dirty.add(c.environment);
      }
    } else if (event.event === LIVE_EVENTS.ready) {
      if (!liveReadyFrameSchema.safeParse(data).success) return;
      onReady();
      this.setState('live');
    }
    // `overflow` and `end` (credentials expired, access changed): the server ends the stream next;
    // the loop reconnects with the current token and resumes, and a refused Environment is dropped
  }
}
