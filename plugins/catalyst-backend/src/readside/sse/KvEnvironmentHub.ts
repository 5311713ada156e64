import type { LoggerService } from '@backstage/backend-plugin-api';
import { Kvm, KvWatchEntry } from '@nats-io/kv';
import type { QueuedIterator } from '@nats-io/transport-node';
import { openStateBucket } from '../projector/KvStateStore';
import { backoffMs, errorMessage, sleep } from '../util';

/** One key's last message as a reader sees it: a value (raw JSON text) or a deletion. */
export interface HubEntry {
  revision: number;
  /** JSON text; null for a deleted key. */
  value: string | null;
}

export interface HubChange {
  environment: string;
  key: string;
  revision: number;
  operation: 'put' | 'delete';
  value: string | null;
}

/** Projector bookkeeping and deletion markers: not part of what clients read. */
export function isPublicKey(key: string): boolean {
  return !key.startsWith('projector.') && !key.startsWith('tombstones.');
}

type Listener = (change: HubChange) => void;

/**
 * One replica's mirror of one Environment's `ws-<env>-state` bucket, fed by ONE KV watch of `>`
 * (NATS 2.9: one key filter per watch) however many SSE clients and REST reads use it.
 *
 * The mirror holds the last message of every key, deletions included, exactly like the bucket
 * (history 1). So "everything after revision r" is computed in memory and equals what a KV watch
 * resumed at r + 1 would deliver, and a snapshot plus the live changes after it never leave a gap:
 * both come from the same ordered watch, and handing out a snapshot and subscribing happen in the
 * same tick. When the watch breaks (NATS restart), it resumes at the last revision seen + 1.
 */
export class KvEnvironmentHub {
  private readonly entries = new Map<string, HubEntry>();
  private readonly listeners = new Set<Listener>();
  private readonly resetListeners = new Set<() => void>();
  private lastRevision = 0;
  private loaded = false;
  private loadWaiters: Array<() => void> = [];
  private abort: AbortController | undefined;
  private running: Promise<void> | undefined;
  private iterator: QueuedIterator<KvWatchEntry> | undefined;

  private constructor(
    private readonly kvm: Kvm,
    readonly environment: string,
    private readonly logger: LoggerService,
  ) {}

  static create(options: { kvm: Kvm; environment: string; logger: LoggerService }): KvEnvironmentHub {
    return new KvEnvironmentHub(options.kvm, options.environment, options.logger);
  }

  /** The last revision this mirror has applied (the bucket's stream sequence). */
  get revision(): number {
    return this.lastRevision;
  }

  get isLoaded(): boolean {
    return this.loaded;
  }

  start(): void {
    if (this.running) return;
    const abort = new AbortController();
    this.abort = abort;
    this.running = this.run(abort.signal).finally(() => {
      this.running = undefined;
    });
  }

  async stop(): Promise<void> {
    this.abort?.abort();
    this.iterator?.stop();
    await this.running;
  }

  /** Ends the current watch; the loop resumes after the last revision seen (call after a reconnect). */
  restartWatch(): void {
    this.iterator?.stop();
  }

  /** Resolves once the bucket's content at start is mirrored. */
  whenLoaded(): Promise<void> {
    if (this.loaded) return Promise.resolve();
    return new Promise(resolve => this.loadWaiters.push(resolve));
  }

  /** Live changes (after the caller's snapshot or catch-up); returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called when the bucket was recreated (revisions started again): readers must start over. */
  onReset(listener: () => void): () => void {
    this.resetListeners.add(listener);
    return () => this.resetListeners.delete(listener);
  }

  get(key: string): HubEntry | undefined {
    return this.entries.get(key);
  }

  /** Current values (no deletions) of the keys `filter` accepts, in key order. */
  snapshot(filter: (key: string) => boolean): { revision: number; entries: Array<[string, string]> } {
    const out: Array<[string, string]> = [];
    for (const [key, entry] of this.entries) {
      if (entry.value !== null && filter(key)) out.push([key, entry.value]);
    }
    out.sort(([a], [b]) => (a < b ? -1 : 1));
    return { revision: this.lastRevision, entries: out };
  }

  /** Every key change (values and deletions) after `revision`, in revision order. */
  changesSince(revision: number, filter: (key: string) => boolean): HubChange[] {
    const out: HubChange[] = [];
    for (const [key, entry] of this.entries) {
      if (entry.revision > revision && filter(key)) out.push(this.toChange(key, entry));
    }
    return out.sort((a, b) => a.revision - b.revision);
  }

  private toChange(key: string, entry: HubEntry): HubChange {
    return {
      environment: this.environment,
      key,
      revision: entry.revision,
      operation: entry.value === null ? 'delete' : 'put',
      value: entry.value,
    };
  }

  private markLoaded() {
    if (this.loaded) return;
    this.loaded = true;
    const waiters = this.loadWaiters;
    this.loadWaiters = [];
    waiters.forEach(w => w());
  }

  private apply(e: KvWatchEntry) {
    this.lastRevision = Math.max(this.lastRevision, e.revision);
    if (!isPublicKey(e.key)) return;
    const existing = this.entries.get(e.key);
    if (existing && existing.revision >= e.revision) return;
    const entry: HubEntry = { revision: e.revision, value: e.operation === 'PUT' ? e.string() : null };
    this.entries.set(e.key, entry);
    if (!this.loaded) return;
    const change = this.toChange(e.key, entry);
    for (const listener of [...this.listeners]) {
      try {
        listener(change);
      } catch (error) {
        this.logger.warn('SSE listener failed', { environment: this.environment, error: errorMessage(error) });
      }
    }
  }

  private async run(signal: AbortSignal): Promise<void> {
    for (let attempt = 0; !signal.aborted; ) {
      try {
        const kv = await openStateBucket(this.kvm, this.environment);
        const status = await kv.status();
        const { last_seq: last, messages } = status.streamInfo.state;
        if (last < this.lastRevision) {
          // The bucket was deleted and created again: our revisions mean nothing there.
          this.logger.warn('State bucket was recreated; readers start over', { environment: this.environment });
          this.entries.clear();
          this.lastRevision = 0;
          [...this.resetListeners].forEach(l => l());
        }
        if (!this.loaded && messages === 0) this.markLoaded();
        const iterator = await kv.watch({
          key: '>',
          ...(this.lastRevision > 0 ? { resumeFromRevision: this.lastRevision + 1 } : {}),
        });
        this.iterator = iterator;
        if (signal.aborted) iterator.stop();
        for await (const e of iterator) {
          this.apply(e);
          if (!this.loaded && (e.revision >= last || e.delta === 0)) this.markLoaded();
          attempt = 0;
        }
      } catch (error) {
        if (signal.aborted) break;
        attempt += 1;
        this.logger.warn('KV watch failed; resuming', {
          environment: this.environment,
          revision: this.lastRevision,
          error: errorMessage(error),
        });
        await sleep(backoffMs(attempt, 200, 5000), signal);
      } finally {
        this.iterator = undefined;
      }
    }
  }
}

/**
 * The hubs of one replica: created on first use, kept while used and `lingerMs` after, restarted
 * after a NATS reconnect (a watch's consumer may not have survived a server restart).
 */
export class KvHubRegistry {
  private readonly hubs = new Map<string, { hub: KvEnvironmentHub; users: number; timer?: NodeJS.Timeout }>();

  private constructor(private readonly options: { kvm: Kvm; logger: LoggerService; lingerMs: number }) {}

  static create(options: { kvm: Kvm; logger: LoggerService; lingerMs?: number }): KvHubRegistry {
    return new KvHubRegistry({ ...options, lingerMs: options.lingerMs ?? 60_000 });
  }

  /** A loaded hub for the Environment and the function that gives it back. */
  async acquire(environment: string, timeoutMs = 10_000): Promise<{ hub: KvEnvironmentHub; release: () => void }> {
    let slot = this.hubs.get(environment);
    if (!slot) {
      const hub = KvEnvironmentHub.create({ kvm: this.options.kvm, environment, logger: this.options.logger });
      hub.start();
      slot = { hub, users: 0 };
      this.hubs.set(environment, slot);
    }
    slot.users += 1;
    clearTimeout(slot.timer);
    const current = slot;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      current.users -= 1;
      if (current.users === 0) {
        current.timer = setTimeout(() => {
          if (current.users === 0 && this.hubs.get(environment) === current) {
            this.hubs.delete(environment);
            current.hub.stop().catch(() => undefined);
          }
        }, this.options.lingerMs);
        current.timer.unref?.();
      }
    };
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        current.hub.whenLoaded(),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`read model of ${environment} not available within ${timeoutMs} ms`)),
            timeoutMs,
          );
        }),
      ]);
    } catch (error) {
      release();
      throw error;
    } finally {
      clearTimeout(timer);
    }
    return { hub: current.hub, release };
  }

  restartWatches(): void {
    for (const { hub } of this.hubs.values()) hub.restartWatch();
  }

  async stop(): Promise<void> {
    const slots = [...this.hubs.values()];
    this.hubs.clear();
    slots.forEach(s => clearTimeout(s.timer));
    await Promise.all(slots.map(s => s.hub.stop()));
  }
}
